"""干部在村成长: forms, one module an area."""
