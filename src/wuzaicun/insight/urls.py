"""URLs of 数据分析."""

from .views import urlpatterns as overview_urls

app_name = "insight"
urlpatterns = [*overview_urls]
