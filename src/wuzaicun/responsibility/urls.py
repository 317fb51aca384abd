"""URLs of 责任在村落实."""

from django.urls import path

from . import ledger_views, views

app_name = "responsibility"
urlpatterns = [
    path("", views.board, name="board"),
    path("years/open/", views.year_open, name="year_open"),
    path("years/working/", views.year_working, name="year_working"),
    path("entries/", views.entries, name="entries"),
    path("lists/export/", views.lists_export, name="lists_export"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<id:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<id:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:code>/", views.coverage, name="coverage_region"),
    path("rules/", views.rules, name="rules"),
    path("rules/<str:code>/", views.rule_update, name="rule_update"),
    path("ledger/village/<str:code>/", ledger_views.village_board, name="ledger_village"),
    path("ledger/person/<id:pk>/", ledger_views.person_board, name="ledger_person"),
    path("ledger/entries/<id:entry_id>/new/", ledger_views.line_new, name="line_new"),
    path("ledger/lines/<id:pk>/reconcile/", ledger_views.reconcile, name="reconcile"),
    path("ledger/lines/<id:pk>/<str:action>/", ledger_views.line_action, name="line_action"),
    path("review/", ledger_views.review, name="review"),
    path("review/batch/", ledger_views.review_batch, name="review_batch"),
    path("review/<id:pk>/", ledger_views.review_decide, name="review_decide"),
    path("review/reopen/<id:pk>/", ledger_views.reopen_decide, name="reopen_decide"),
    path("visits/new/", ledger_views.visit_new, name="visit_new"),
]
