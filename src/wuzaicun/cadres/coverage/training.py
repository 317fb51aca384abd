"""干部培训: coverage."""
