"""synth of the rectification area (registered on import)."""
