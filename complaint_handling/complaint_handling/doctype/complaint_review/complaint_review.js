// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

// The management-review pack: "Generate Pack" queues the job (review/pack.py); its progress shows
// through Frappe's progress bar, and the form reloads when the job says it is done (or, without
// live updates, when polling sees the status change).
frappe.ui.form.on("Complaint Review", {
	setup(frm) {
		frappe.realtime.on("complaint_review_pack", (data) => {
			if (data && data.name === frm.doc.name) {
				frappe.hide_progress();
				frm.reload_doc();
			}
		});
	},

	refresh(frm) {
		if (frm.doc.pack) {
			frm.add_custom_button(__("Open Pack"), () => window.open(frm.doc.pack));
		}
		if (!frm.is_new() && frm.perm[0] && frm.perm[0].write && frm.doc.status !== "Generating") {
			frm.add_custom_button(__("Generate Pack"), () => generate(frm)).addClass("btn-primary");
		}
		if (frm.doc.status === "Generating") {
			frm.dashboard.set_headline(__("The pack is being generated; this page reloads when it is ready."));
			poll(frm);
		}
	},
});

function generate(frm) {
	const go = () =>
		frappe
			.call({ method: "complaint_handling.review.pack.generate", args: { review: frm.doc.name } })
			.then((r) => {
				if (r.message && r.message.message) frappe.show_alert(r.message.message);
				frm.reload_doc();
			});
	if (frm.is_dirty()) frm.save().then(go);
	else go();
}

function poll(frm) {
	if (frm._pack_poll) return;
	frm._pack_poll = setInterval(() => {
		if (frm.doc.doctype !== "Complaint Review" || frm.doc.status !== "Generating") {
			clearInterval(frm._pack_poll);
			frm._pack_poll = null;
			return;
		}
		frappe.db.get_value("Complaint Review", frm.doc.name, "status").then((r) => {
			if (r.message && r.message.status !== "Generating") {
				clearInterval(frm._pack_poll);
				frm._pack_poll = null;
				frappe.hide_progress();
				frm.reload_doc();
			}
		});
	}, 5000);
}
