// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.query_reports["Complaint Register"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "complaint_category", label: __("Category"), fieldtype: "Link", options: "Complaint Category" },
		{ fieldname: "severity", label: __("Severity"), fieldtype: "Link", options: "Complaint Severity" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				"Draft",
				"Registered",
				"Acknowledged",
				"Under Investigation",
				"Pending Approval",
				"Responded",
				"Closed",
				"Rejected",
				"Reopened",
			],
		},
	],
};
