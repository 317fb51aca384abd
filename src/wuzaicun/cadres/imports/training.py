"""干部培训: imports."""
