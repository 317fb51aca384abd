"""URLs of 责任在村落实."""

from django.urls import path

from . import views

app_name = "responsibility"
urlpatterns = [
    path("", views.board, name="board"),
    path("years/open/", views.year_open, name="year_open"),
    path("entries/", views.entries, name="entries"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:code>/", views.coverage, name="coverage_region"),
    path("rules/", views.rules, name="rules"),
    path("rules/<str:code>/", views.rule_update, name="rule_update"),
]
