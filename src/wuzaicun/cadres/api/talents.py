"""千村千人计划人才与项目书记: API."""

from ninja import Router

router = Router()
