"""组织在村建强: rules, one module an area (orgs, rectification, guarantees, economy)."""
