"""六定一化考核: indicators."""
