"""资源在村整合: pure checks, one module an area."""
