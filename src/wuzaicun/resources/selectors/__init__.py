"""资源在村整合: reads, one module an area."""
