"""synth of the economy area (registered on import)."""
