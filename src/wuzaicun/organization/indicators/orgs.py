"""indicators of the orgs area (registered on import)."""
