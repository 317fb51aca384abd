"""支部结对、干群结亲与企业帮扶: API."""

from ninja import Router

router = Router()
