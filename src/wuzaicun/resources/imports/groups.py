"""十户一体: imports."""
