"""资源在村整合: coverage, one module an area; importing the package registers them all."""

from . import decisions, groups, pairings, projects, shares  # noqa: F401
