// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Appeal", {
	setup(frm) {
		// New Email writes to the appellant (filled in only for those who may read the party)
		frm.email_field = "appellant_email";
	},
});
