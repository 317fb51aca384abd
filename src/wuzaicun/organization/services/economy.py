"""services of the economy area."""
