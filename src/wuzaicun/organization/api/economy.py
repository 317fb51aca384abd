"""API of the economy area."""

from ninja import Router

router = Router()
