"""Pages of 千村千人计划人才 and 项目书记."""

from django.urls import path

from ._building import building

urlpatterns = [
    path("talents/", building("千村千人计划"), name="talents"),
    path("secretaries/", building("项目书记"), name="secretaries"),
]
