"""URLs of 干部在村成长: each area's pages (views/<area>.py declares its own urlpatterns)."""

from .views import cadre, dispatch, grading, talents, training

app_name = "cadres"
urlpatterns = [*dispatch.urlpatterns, *talents.urlpatterns, *training.urlpatterns, *grading.urlpatterns,
               *cadre.urlpatterns]
