"""Pages of 干部培训."""

from django.urls import path

from ._building import building

urlpatterns = [
    path("trainings/", building("干部培训"), name="trainings"),
]
