"""rules of the economy area."""
