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
	// the stored values of Select fields (channel, validity, status, each clock's status), marked
	// translate_values by the report, in the reader's language
	formatter(value, row, column, data, default_formatter) {
		if (column.translate_values && value) value = __(value);
		return default_formatter(value, row, column, data);
	},
};
