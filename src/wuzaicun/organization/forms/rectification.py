"""forms of the rectification area."""
