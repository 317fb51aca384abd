"""services of the guarantees area."""
