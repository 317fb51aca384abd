"""干部培训: API."""

from ninja import Router

router = Router()
