"""URLs of 数据分析."""

from .dossiers import urlpatterns as dossier_urls
from .views import urlpatterns as overview_urls

app_name = "insight"
urlpatterns = [*overview_urls, *dossier_urls]
