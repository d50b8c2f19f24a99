// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

// A support ticket (ERPNext Issue, Helpdesk HD Ticket) escalated to a formal complaint: the button
// for users who may create complaints, and once escalated the complaint and its status in the form's
// headline. The server decides both (channels/issue_escalation.py).
const ESCALATION = "complaint_handling.channels.issue_escalation";
const COMPLAINT_STATUS_COLOURS = { Closed: "green", Rejected: "red", Responded: "blue" };

for (const doctype of ["Issue", "HD Ticket"]) {
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			frm.dashboard.clear_headline();
			if (frm.is_new()) return;
			const name = frm.doc.name;
			frappe
				.call({ method: `${ESCALATION}.escalation_state`, args: { doctype, name } })
				.then((r) => {
					// the user may have moved on to another ticket while the state was loading
					if (frm.doc.name === name && r.message) show_escalation(frm, r.message);
				});
		},
	});
}

function show_escalation(frm, state) {
	if (state.complaint) {
		const link = `<a href="/app/complaint/${encodeURIComponent(state.complaint)}">${frappe.utils.escape_html(
			state.complaint
		)}</a>`;
		const text = state.status
			? __("Escalated to formal complaint {0}: {1}", [link, __(state.status)])
			: __("Escalated to formal complaint {0}", [link]);
		frm.dashboard.set_headline_alert(text, COMPLAINT_STATUS_COLOURS[state.status] || "orange");
	} else if (state.can_escalate) {
		frm.add_custom_button(__("Escalate to Formal Complaint"), () => escalate(frm));
	}
}

function escalate(frm) {
	frappe.confirm(
		__("Open a formal complaint from this ticket's customer, contact, subject and description?"),
		() =>
			frappe
				.call({
					method: `${ESCALATION}.escalate`,
					args: { doctype: frm.doctype, name: frm.doc.name },
					freeze: true,
				})
				.then((r) => {
					frappe.show_alert({
						message: r.message.created
							? __("Complaint {0} opened", [r.message.complaint])
							: __("Already escalated to complaint {0}", [r.message.complaint]),
						indicator: "green",
					});
					frm.reload_doc();
				})
	);
}
