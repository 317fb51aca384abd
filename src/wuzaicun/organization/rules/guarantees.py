"""rules of the guarantees area."""
