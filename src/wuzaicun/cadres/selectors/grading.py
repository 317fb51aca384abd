"""六定一化考核: selectors."""
