"""Pages of 选派与驻村工作组."""

from django.urls import path

from ._building import building

urlpatterns = [
    path("dispatches/", building("选派管理"), name="dispatches"),
    path("groups/", building("驻村工作组"), name="groups"),
    path("placements/", building("上管一级与后备干部"), name="placements"),
]
