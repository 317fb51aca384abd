"""coverage of the economy area (registered on import)."""
