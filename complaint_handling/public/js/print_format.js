// Print Format form (hooks.py doctype_js): edits of a print format's HTML were lost without a word.
// Frappe 15 sends a DocType's print formats along with its meta, and the form loads that meta
// (for "Set as Default") after it has bound its document: the document in locals is replaced, the
// HTML editor writes to the new copy and Save sends the old one. The meta is loaded before the form
// draws its fields, and the form is bound to the document as it is after that.
frappe.ui.form.on("Print Format", {
	onload(frm) {
		const doc_type = frm.doc.doc_type;
		if (doc_type && !locals.DocType[doc_type]) {
			frappe.model.with_doctype(doc_type, null, false);
			frm.doc = frappe.get_doc(frm.doctype, frm.docname);
		}
	},
});
