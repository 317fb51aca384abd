"""The `assignments` template (DESIGN.md §4.2): entries of the five lists. (Filled in by the next step.)"""
