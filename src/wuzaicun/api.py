"""The JSON API under /api/ (django-ninja), schema at /api/openapi.json; each app adds its router."""

from __future__ import annotations

from wuzaicun.accounts.api import API_AUTH, security_router
from wuzaicun.accounts.api import router as auth_router
from wuzaicun.cadres.api import router as cadres_router
from wuzaicun.core.api import Api
from wuzaicun.insight.api import router as insight_router
from wuzaicun.jobs.api import router as jobs_router
from wuzaicun.organization.api import router as organization_router
from wuzaicun.regions.api import router as regions_router
from wuzaicun.registry.api import router as registry_router
from wuzaicun.resources.api import router as resources_router
from wuzaicun.responsibility.api import router as responsibility_router
from wuzaicun.verification.api import router as verification_router

api = Api(
    title="党建扶贫“五在村”管理信息系统 API",
    version="1",
    description="与页面相同的权限与管辖范围；错误以 {\"code\", \"message\"} 返回（参数有误 400，服务器错误 500 带 request_id），管辖范围外的对象返回 404。",
    auth=API_AUTH,
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="api",
)
api.add_router("/auth", auth_router)
api.add_router("/security", security_router)
api.add_router("/", regions_router)
api.add_router("/", registry_router)
api.add_router("/", responsibility_router)
api.add_router("/", verification_router)
api.add_router("/organization", organization_router)
api.add_router("/cadres", cadres_router)
api.add_router("/resources", resources_router)
api.add_router("/insight", insight_router)
api.add_router("/", jobs_router)
