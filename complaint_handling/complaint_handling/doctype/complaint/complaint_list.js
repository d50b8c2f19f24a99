// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.listview_settings["Complaint"] = {
	add_fields: ["status", "is_major"],
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
