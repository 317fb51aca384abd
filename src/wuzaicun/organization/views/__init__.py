"""组织在村建强: pages, one module an area."""
