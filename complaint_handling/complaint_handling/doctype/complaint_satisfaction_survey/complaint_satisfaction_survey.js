// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Satisfaction Survey", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status !== "Draft" || !frappe.user.has_role("Complaint Quality Manager")) {
			return;
		}
		frm.add_custom_button(__("Send Survey"), () => {
			frappe.confirm(
				__("Email every complainant of the complaints closed in this period a private link to the survey?"),
				() =>
					frappe
						.call({
							method: "complaint_handling.channels.survey.send_survey",
							args: { survey: frm.doc.name },
							freeze: true,
						})
						.then(({ message }) => {
							if (message) {
								frappe.show_alert({
									message: __("{0} invitations queued", [message.invitations]),
									indicator: "green",
								});
							}
							frm.reload_doc();
						})
			);
		}).addClass("btn-primary");
	},
});
