"""rules of the orgs area."""
