"""选派与驻村工作组: API."""

from ninja import Router

router = Router()
