"""An investigation's statuses that rules name (the workflow's states map onto them:
``setup/defaults.py``)."""

DRAFT = "Draft"
PENDING_APPROVAL = "Pending Approval"
APPROVED = "Approved"
