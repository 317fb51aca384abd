"""资源在村整合's API: one router an area, mounted under /api/resources/."""

from ninja import Router

from . import decisions, groups, pairings, projects, shares

router = Router(tags=["资源在村整合"])
for area in (projects, groups, shares, pairings, decisions):
    router.add_router("", area.router)
