"""Tabular: the one spreadsheet import/export engine every app declares its templates for."""
