"""组织在村建强: selectors, one module an area (orgs, rectification, guarantees, economy)."""
