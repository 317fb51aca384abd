"""整合项目与资金: API."""

from ninja import Router

router = Router()
