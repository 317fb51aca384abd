"""组织在村建强's API: one router an area, mounted under /api/organization/."""

from ninja import Router

from . import economy, guarantees, orgs, rectification

router = Router(tags=["组织在村建强"])
for area in (orgs, rectification, guarantees, economy):
    router.add_router("", area.router)
