"""services of the orgs area."""
