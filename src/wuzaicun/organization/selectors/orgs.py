"""selectors of the orgs area."""
