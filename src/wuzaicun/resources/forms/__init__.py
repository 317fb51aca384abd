"""资源在村整合: forms, one module an area."""
