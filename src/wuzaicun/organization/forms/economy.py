"""forms of the economy area."""
