"""API of the rectification area."""

from ninja import Router

router = Router()
