"""四议两公开资金使用决策: API."""

from ninja import Router

router = Router()
