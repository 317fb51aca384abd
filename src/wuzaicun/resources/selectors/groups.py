"""十户一体: selectors."""
