"""Pages of 六定一化考核 and the cadre's page."""

from django.urls import path

from ._building import building

urlpatterns = [
    path("grades/", building("六定一化考核"), name="grades"),
    path("outcomes/", building("考核结果运用"), name="outcomes"),
]
