// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Investigation", {
	refresh(frm) {
		if (frm.is_new()) return;
		show_similar_complaints(frm);
		// quarantine drafts a Stock Entry: offered only to who may write this and create that
		if (!frm.perm[0].write || !frappe.model.can_create("Stock Entry")) return;
		for (const row of frm.doc.affected_batches || []) {
			if (row.stock_qty > 0 && !row.quarantine_entry) {
				frm.add_custom_button(
					__("Quarantine {0}", [row.batch_no]),
					() =>
						frappe
							.call({
								method: "complaint_handling.investigation.quarantine.quarantine_batch",
								args: { investigation: frm.doc.name, row: row.name },
								freeze: true,
							})
							.then(({ message }) => {
								frm.reload_doc();
								frappe.set_route("Form", "Stock Entry", message);
							}),
					__("Quarantine")
				);
			}
		}
	},
});

function show_similar_complaints(frm) {
	frappe
		.call({
			method: "complaint_handling.investigation.similar_cases.similar_complaints",
			args: { investigation: frm.doc.name },
		})
		.then(({ message }) => {
			const rows = (message || [])
				.map(
					(c) => `<tr>
						<td><a href="/app/complaint/${encodeURIComponent(c.name)}">${frappe.utils.escape_html(c.name)}</a></td>
						<td>${frappe.utils.escape_html(c.subject || "")}</td>
						<td>${frappe.datetime.str_to_user(c.received_on)}</td>
						<td>${__(c.status)}</td>
						<td>${__(c.validity || "")}</td>
					</tr>`
				)
				.join("");
			frm.get_field("similar_cases_html").$wrapper.html(
				rows
					? `<table class="table table-bordered"><tr><th>${__("Complaint")}</th><th>${__("Subject")}</th><th>${__("Received On")}</th><th>${__("Status")}</th><th>${__("Validity")}</th></tr>${rows}</table>`
					: `<p class="text-muted">${__("No similar complaints in the window set in Complaint Settings.")}</p>`
			);
		});
}
