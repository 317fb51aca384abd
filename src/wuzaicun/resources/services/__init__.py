"""资源在村整合: writes (workflows), one module an area."""
