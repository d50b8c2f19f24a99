// Copyright (c) 2026, complaint_handling contributors
// License: MIT. See license.txt

frappe.query_reports["Complaint Trends"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -11),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "periodicity",
			label: __("Periodicity"),
			fieldtype: "Select",
			options: [
				{ value: "Month", label: __("Month") },
				{ value: "Quarter", label: __("Quarter") },
			],
			default: "Month",
			// whole quarters: the range starts where its first quarter starts, not part-way through it
			on_change(report) {
				const from = report.get_filter_value("from_date");
				const start = from && moment(from).startOf("quarter").format("YYYY-MM-DD");
				if (report.get_filter_value("periodicity") === "Quarter" && start && start !== from) {
					report.set_filter_value("from_date", start); // refreshes the report
				} else {
					report.refresh();
				}
			},
		},
		{
			fieldname: "view",
			label: __("Rows"),
			fieldtype: "Select",
			options: [
				{ value: "Period", label: __("Period") },
				{ value: "Category", label: __("Category") },
				{ value: "Severity", label: __("Severity") },
				{ value: "Item", label: __("Item") },
				{ value: "Customer", label: __("Customer") },
				{ value: "Channel", label: __("Channel") },
				{ value: "Root Cause Category", label: __("Root Cause Category") },
			],
			default: "Period",
		},
		{
			fieldname: "chart",
			label: __("Chart"),
			fieldtype: "Select",
			options: [
				{ value: "Severity", label: __("Severity") },
				{ value: "Category", label: __("Category") },
				{ value: "SLA Compliance", label: __("SLA Compliance") },
				{ value: "Top Categories", label: __("Top Categories") },
			],
			default: "Severity",
		},
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "complaint_category", label: __("Category"), fieldtype: "Link", options: "Complaint Category" },
		{ fieldname: "severity", label: __("Severity"), fieldtype: "Link", options: "Complaint Severity" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.bold ? value.bold() : value;
	},
};
