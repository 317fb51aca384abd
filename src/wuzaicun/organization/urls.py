"""URLs of 组织在村建强: each area's pages (views/<area>.py declares its own urlpatterns)."""

from .views import economy, guarantees, orgs, rectification

app_name = "organization"
urlpatterns = [*orgs.urlpatterns, *rectification.urlpatterns, *guarantees.urlpatterns, *economy.urlpatterns]
