"""Test support shared by every app's tests: factories and a small two-county world."""
