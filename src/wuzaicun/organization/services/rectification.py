"""services of the rectification area."""
