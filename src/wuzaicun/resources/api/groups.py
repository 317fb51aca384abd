"""十户一体: API."""

from ninja import Router

router = Router()
