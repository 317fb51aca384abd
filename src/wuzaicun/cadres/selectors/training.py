"""干部培训: selectors."""
