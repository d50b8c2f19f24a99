// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.listview_settings["Complaint"] = {
	add_fields: ["status", "is_major", "sla_status"],
	formatters: {
		// the service level reads at a glance: red when breached, orange when due soon
		sla_status(value) {
			const colour = { Breached: "red", "Due Soon": "orange", "On Track": "blue", Met: "green" }[value];
			return value ? `<span class="indicator-pill ${colour}">${__(value)}</span>` : "";
		},
	},
	get_indicator(doc) {
		const colours = {
			Draft: "gray",
			Registered: "blue",
			Acknowledged: "blue",
			"Under Investigation": "orange",
			"Pending Approval": "yellow",
			Responded: "purple",
			Closed: "green",
			Rejected: "red",
			Reopened: "orange",
		};
		const label = doc.is_major ? __("{0} · Major", [__(doc.status)]) : __(doc.status);
		return [label, colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
