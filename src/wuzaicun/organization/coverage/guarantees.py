"""coverage of the guarantees area (registered on import)."""
