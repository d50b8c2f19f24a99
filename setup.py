# Kept for tooling that predates pyproject.toml; the metadata lives in pyproject.toml.
from setuptools import find_packages, setup

setup(name="complaint_handling", packages=find_packages(), include_package_data=True, zip_safe=False)
