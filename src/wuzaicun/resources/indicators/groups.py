"""十户一体: indicators."""
