"""Audit (操作日志): who did what and when, written in the same transaction as the change."""
