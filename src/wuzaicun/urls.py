"""The site's URLs: pages per app, and the JSON API under /api/."""

from django.urls import include, path

from .api import api
from .verification import views as verification_views

urlpatterns = [
    path("", include("wuzaicun.portal.urls")),
    path("accounts/", include("wuzaicun.accounts.urls")),
    path("regions/", include("wuzaicun.regions.urls")),
    path("registry/", include("wuzaicun.registry.urls")),
    path("imports/", include("wuzaicun.tabular.urls")),
    path("audit/", include("wuzaicun.audit.urls")),
    path("responsibility/", include("wuzaicun.responsibility.urls")),
    path("organization/", include("wuzaicun.organization.urls")),
    path("cadres/", include("wuzaicun.cadres.urls")),
    path("resources/", include("wuzaicun.resources.urls")),
    path("verification/", include("wuzaicun.verification.urls")),
    path("insight/", include("wuzaicun.insight.urls")),
    path("jobs/", include("wuzaicun.jobs.urls")),
    path("public/spotcheck/", verification_views.public_register_page, name="public_spotcheck_register"),
    path("public/spotcheck/<id:pk>/", verification_views.public_plan_page, name="public_spotcheck"),
    path("api/", api.urls),
]

handler400 = "wuzaicun.core.views.bad_request"
handler404 = "wuzaicun.core.views.page_not_found"
handler403 = "wuzaicun.core.views.permission_denied"
handler500 = "wuzaicun.core.views.server_error"
