"""六定一化考核: API."""

from ninja import Router

router = Router()
