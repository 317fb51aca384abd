"""coverage of the rectification area (registered on import)."""
