"""rules of the rectification area."""
