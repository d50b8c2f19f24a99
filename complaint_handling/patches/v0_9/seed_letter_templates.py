from complaint_handling.setup.install import seed_email_templates, seed_settings


def execute():
	"""Sites that had 0.8 get the progress report and end notice templates and the end notice
	switch (on); seeding only inserts what is missing, the admin's edits stay."""
	seed_email_templates()
	seed_settings()
