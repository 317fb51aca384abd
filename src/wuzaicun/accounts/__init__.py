"""Accounts: users, roles, permissions and the one scoping function."""
