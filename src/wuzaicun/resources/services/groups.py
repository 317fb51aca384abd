"""十户一体: services."""
