"""API of the orgs area."""

from ninja import Router

router = Router()
