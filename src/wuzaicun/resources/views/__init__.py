"""资源在村整合: pages, one module an area."""
