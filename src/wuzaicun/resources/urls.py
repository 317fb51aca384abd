"""URLs of 资源在村整合: each area's pages (views/<area>.py declares its own urlpatterns)."""

from .views import decisions, groups, projects, shares

app_name = "resources"
urlpatterns = [*projects.urlpatterns, *groups.urlpatterns, *shares.urlpatterns, *decisions.urlpatterns]
