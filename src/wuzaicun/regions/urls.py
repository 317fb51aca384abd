"""Regions URLs."""

from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [path("villages/", views.villages, name="villages")]
