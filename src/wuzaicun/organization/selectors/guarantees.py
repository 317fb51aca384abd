"""selectors of the guarantees area."""
