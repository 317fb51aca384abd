"""Regions (行政区划): the division tree keyed by 12-digit statistical codes, and villages' yearly facts."""
