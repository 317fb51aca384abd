"""干部在村成长: pages, one module an area."""
