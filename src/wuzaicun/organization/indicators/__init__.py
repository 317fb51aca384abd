"""组织在村建强: indicators, one module an area; importing the package registers them all."""

from . import economy, guarantees, orgs, rectification  # noqa: F401
