"""十户一体: coverage."""
