"""组织在村建强: forms, one module an area (orgs, rectification, guarantees, economy)."""
