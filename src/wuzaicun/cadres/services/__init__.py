"""干部在村成长: writes (workflows), one module an area."""
