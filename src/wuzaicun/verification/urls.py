"""URLs of 成效在村检验."""

from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/draw/", views.draw, name="draw"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/close/", views.close, name="close"),
    path("plans/<id:pk>/void/", views.void, name="void"),
    path("plans/<id:pk>/witness/", views.witness, name="witness"),
    path("plans/<id:pk>/picks/<id:pick_id>/finding/", views.finding, name="finding"),
    path("plans/<id:pk>/findings/<id:finding_id>/", views.correct_finding_page, name="correct_finding"),
    path("plans/<id:pk>/sanctions/<id:sanction_id>/follow-up/", views.follow_up, name="follow_up"),
    path("schemes/", views.schemes, name="schemes"),
    path("results/", views.results, name="results"),
    path("results/<str:action>/", views.results_action, name="results_action"),
]
