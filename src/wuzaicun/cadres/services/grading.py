"""六定一化考核: services."""
