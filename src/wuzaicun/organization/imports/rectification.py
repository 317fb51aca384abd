"""imports of the rectification area (registered on import)."""
