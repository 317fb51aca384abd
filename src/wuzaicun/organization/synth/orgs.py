"""synth of the orgs area (registered on import)."""
