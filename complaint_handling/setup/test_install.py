"""Uninstalling gives back what installing customised: a DocType whose permissions the app made
custom only to add its roles' *Select* rules (``defaults.PICKERS``) returns to its standard
permissions; one an admin customised keeps their rules."""

from unittest.mock import patch

import frappe
from frappe.permissions import setup_custom_perms
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import defaults, install

# a DocType no picker rule of the app touches, standing in for Employee, Company and Customer
STAND_IN = "Note"


class TestUninstallGivesBackPermissions(FrappeTestCase):
	def setUp(self):
		frappe.db.delete("Custom DocPerm", {"parent": STAND_IN})
		self.addCleanup(frappe.db.delete, "Custom DocPerm", {"parent": STAND_IN})

	def custom_rules(self) -> int:
		return frappe.db.count("Custom DocPerm", {"parent": STAND_IN})

	def test_a_copy_of_the_standard_rules_goes_back_to_standard(self):
		setup_custom_perms(STAND_IN)
		self.assertTrue(self.custom_rules())
		with patch.dict(defaults.PICKERS, {STAND_IN: ()}, clear=True):
			install.uncustomise_pickers()
		self.assertEqual(self.custom_rules(), 0)

	def test_an_admins_own_rule_is_kept(self):
		setup_custom_perms(STAND_IN)
		frappe.get_doc(
			{
				"doctype": "Custom DocPerm",
				"parent": STAND_IN,
				"parenttype": "DocType",
				"parentfield": "permissions",
				"role": "Accounts User",
				"permlevel": 0,
				"read": 1,
			}
		).insert(ignore_permissions=True)
		before = self.custom_rules()
		with patch.dict(defaults.PICKERS, {STAND_IN: ()}, clear=True):
			install.uncustomise_pickers()
		self.assertEqual(self.custom_rules(), before)
