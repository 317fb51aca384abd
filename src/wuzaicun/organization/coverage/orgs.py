"""coverage of the orgs area (registered on import)."""
