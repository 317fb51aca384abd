"""URLs of 数据分析."""

from .dashboards import urlpatterns as dashboard_urls
from .dossiers import urlpatterns as dossier_urls
from .views import urlpatterns as overview_urls

app_name = "insight"
urlpatterns = [*overview_urls, *dashboard_urls, *dossier_urls]
