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
// The documents that may carry a complaint's loss (intake/loss.py reads their amounts)
const COMPLAINT_LOSS_DOCTYPES = ["Sales Invoice", "Stock Entry", "Journal Entry", "Payment Entry"];

frappe.ui.form.on("Complaint", {
	setup(frm) {
		// New Email writes to the complainant (filled in only for those who may read the party)
		frm.email_field = "complainant_email";
		frm.set_query("reference_doctype", () => ({
			filters: { name: ["in", COMPLAINT_REFERENCE_DOCTYPES] },
		}));
		frm.set_query("complaint_category", () => ({ filters: { disabled: 0 } }));
		frm.set_query("document_type", "loss_documents", () => ({
			filters: { name: ["in", COMPLAINT_LOSS_DOCTYPES] },
		}));
		// submitted documents of the complaint's company; of Sales Invoices only Credit Notes
		frm.set_query("document_name", "loss_documents", (doc, cdt, cdn) => {
			const row = locals[cdt][cdn];
			const filters = { docstatus: 1, company: doc.company };
			if (row.document_type === "Sales Invoice") filters.is_return = 1;
			return { filters };
		});
	},

	refresh(frm) {
		if (frm.is_new()) return;
		// what this user can do next, or why an action is missing (intake/next_step.py)
		const next_step = frm.doc.__onload && frm.doc.__onload.next_step;
		// Frappe adds each intro below the last until the form is loaded anew: clear it first
		frm.set_intro();
		if (next_step) frm.set_intro(next_step[0], next_step[1]);
		if (frappe.model.can_create("Complaint Investigation")) {
			frm.add_custom_button(
				__("Investigation"),
				() => frappe.new_doc("Complaint Investigation", { complaint: frm.doc.name }),
				__("Create")
			);
		}
		if (frappe.model.can_create("CAPA")) {
			frm.add_custom_button(
				__("CAPA"),
				() =>
					frappe.new_doc(
						"CAPA",
						{
							title: frm.doc.subject,
							company: frm.doc.company,
							source_doctype: "Complaint",
							source_name: frm.doc.name,
						},
						// route options carry no child rows; the CAPA also links its source on insert
						(capa) => {
							frappe.model.add_child(capa, "complaints").complaint = frm.doc.name;
						}
					),
				__("Create")
			);
		}
		// only while the case is open and this user may write it in its state (intake/letters.py)
		if (frm.doc.__onload && frm.doc.__onload.may_send_progress_report) {
			frm.add_custom_button(__("Send Progress Report"), () => send_progress_report(frm));
		}
		if (!frappe.user.has_role("Complaint Quality Manager")) return;
		for (const row of frm.doc.deadline_extensions || []) {
			if (row.status !== "Requested") continue;
			const what = __("{0} to {1}", [__(row.clock), frappe.datetime.str_to_user(row.extend_to)]);
			frm.add_custom_button(__("Approve {0}", [what]), () => decide_extension(frm, row, 1), __("Extensions"));
			frm.add_custom_button(__("Reject {0}", [what]), () => decide_extension(frm, row, 0), __("Extensions"));
		}
	},

	after_workflow_action(frm) {
		// the workflow call hands back the form's earlier onload: reload for the new next step
		frm.reload_doc();
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

function decide_extension(frm, row, approve) {
	frappe
		.call({
			method: "complaint_handling.service_levels.clocks.decide_extension",
			args: { complaint: frm.doc.name, extension: row.name, approve },
			freeze: true,
		})
		.then(() => frm.reload_doc());
}

function send_progress_report(frm) {
	const method = "complaint_handling.intake.letters.";
	frappe.xcall(method + "progress_report_draft", { complaint: frm.doc.name }).then((draft) => {
		const dialog = new frappe.ui.Dialog({
			title: __("Send Progress Report"),
			fields: [
				{
					fieldtype: "HTML",
					fieldname: "problem",
					options: draft.problem
						? `<div class="alert alert-warning">${frappe.utils.escape_html(draft.problem)}</div>`
						: "",
				},
				{ fieldtype: "Data", fieldname: "subject", label: __("Subject"), reqd: 1, default: draft.subject },
				{ fieldtype: "Text Editor", fieldname: "message", label: __("Message"), reqd: 1, default: draft.message },
			],
			primary_action_label: __("Send"),
			primary_action(values) {
				frappe
					.call({
						method: method + "send_progress_report",
						args: { complaint: frm.doc.name, subject: values.subject, message: values.message },
						freeze: true,
					})
					.then(({ message }) => {
						dialog.hide();
						if (message && message.sent) {
							frappe.show_alert({ message: __("Progress report queued"), indicator: "green" });
						}
						// the round's count and the timeline changed on the server
						frm.reload_doc();
					});
			},
		});
		dialog.show();
	});
}
