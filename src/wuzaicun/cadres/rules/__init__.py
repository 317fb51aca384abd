"""干部在村成长: pure checks, one module an area."""
