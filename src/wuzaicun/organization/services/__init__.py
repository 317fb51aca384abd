"""组织在村建强: services, one module an area (orgs, rectification, guarantees, economy)."""
