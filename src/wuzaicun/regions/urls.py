"""Regions URLs."""

from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("villages/", views.villages, name="villages"),
    path("tree/<str:code>/", views.tree_children, name="tree_children"),
    path("pick/<str:kind>/", views.pick, name="pick"),
]
