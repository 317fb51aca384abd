"""selectors of the rectification area."""
