"""干部培训: services."""
