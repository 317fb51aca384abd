"""selectors of the economy area."""
