// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.query_reports["CAPA Status and Effectiveness"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{
			fieldname: "view",
			label: __("Rows"),
			fieldtype: "Select",
			options: [
				{ value: "CAPA", label: __("CAPA") },
				{ value: "Action Owner", label: __("Action Owner") },
			],
			default: "CAPA",
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Draft", "Open", "Pending Verification", "Closed", "Cancelled"],
		},
	],
};
