"""forms of the guarantees area."""
