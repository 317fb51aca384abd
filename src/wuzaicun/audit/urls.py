"""Audit URLs."""

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.entries, name="entries"),
    path("logins/", views.logins, name="logins"),
    path("operations/", views.operations, name="operations"),
]
