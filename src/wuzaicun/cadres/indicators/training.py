"""干部培训: indicators."""
