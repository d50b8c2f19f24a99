// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.ui.form.on("CAPA", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status !== "Open") return;
		// an action owner may have no right to edit the CAPA: their own actions have a door of their own
		const mine = (frm.doc.actions || []).filter(
			(row) => row.action_owner === frappe.session.user && row.status === "Open"
		);
		if (!mine.length) return;
		frm.add_custom_button(__("Mark My Action Done"), () => complete_action(frm, mine)).addClass(
			"btn-primary"
		);
		frm.dashboard.set_headline(
			__("You own {0} open action(s) of this CAPA: mark each done with its evidence.", [mine.length]),
			"orange"
		);
	},
});

function complete_action(frm, mine) {
	const dialog = new frappe.ui.Dialog({
		title: __("Mark My Action Done"),
		fields: [
			{
				fieldname: "action",
				fieldtype: "Select",
				label: __("Action"),
				reqd: 1,
				options: mine.map((row) => ({
					value: row.name,
					label: `${row.idx}. ${row.action || ""}`.slice(0, 140),
				})),
				default: mine[0].name,
			},
			{
				fieldname: "evidence",
				fieldtype: "Small Text",
				label: __("Completion Evidence"),
				reqd: 1,
				description: __("What was done, and where the proof is."),
			},
			{ fieldname: "attachment", fieldtype: "Attach", label: __("Evidence File") },
		],
		primary_action_label: __("Mark Done"),
		primary_action(values) {
			frappe
				.call({
					method: "complaint_handling.capa.actions.complete_action",
					args: { capa: frm.doc.name, ...values },
					freeze: true,
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Action marked done."), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}
