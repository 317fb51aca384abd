"""forms of the orgs area."""
