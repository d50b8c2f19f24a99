// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

// Documents a complaint most often refers to; any other DocType can still be typed in.
const COMPLAINT_REFERENCE_DOCTYPES = [
	"Sales Invoice",
	"Delivery Note",
	"Sales Order",
	"Quality Inspection",
	"Issue",
	"Project",
	"Serial No",
	"Batch",
];

frappe.ui.form.on("Complaint", {
	setup(frm) {
		frm.set_query("reference_doctype", () => ({
			filters: { name: ["in", COMPLAINT_REFERENCE_DOCTYPES] },
		}));
		frm.set_query("complaint_category", () => ({ filters: { disabled: 0 } }));
	},

	complaint_category(frm) {
		if (!frm.doc.complaint_category) return;
		frappe.db
			.get_value("Complaint Category", frm.doc.complaint_category, "default_severity")
			.then(({ message }) => {
				if (message && message.default_severity && frm.doc.status === "Draft") {
					frm.set_value("severity", message.default_severity);
				}
			});
	},

	reference_doctype(frm) {
		frm.set_value("reference_name", null);
	},
});
