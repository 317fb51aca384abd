"""URLs of 资源在村整合: each area's pages (views/<area>.py declares its own urlpatterns)."""

from .views import decisions, groups, pairings, projects, shares

app_name = "resources"
urlpatterns = [*projects.urlpatterns, *groups.urlpatterns, *shares.urlpatterns, *pairings.urlpatterns,
               *decisions.urlpatterns]
