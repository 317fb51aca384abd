"""干部在村成长: reads, one module an area."""
