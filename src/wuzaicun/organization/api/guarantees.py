"""API of the guarantees area."""

from ninja import Router

router = Router()
