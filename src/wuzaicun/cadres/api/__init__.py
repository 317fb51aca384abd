"""干部在村成长's API: one router an area, mounted under /api/cadres/."""

from ninja import Router

from . import dispatch, grading, talents, training

router = Router(tags=["干部在村成长"])
for area in (dispatch, talents, training, grading):
    router.add_router("", area.router)
