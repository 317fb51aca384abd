"""三变入股与分红: API."""

from ninja import Router

router = Router()
