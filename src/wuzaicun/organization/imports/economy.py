"""imports of the economy area (registered on import)."""
