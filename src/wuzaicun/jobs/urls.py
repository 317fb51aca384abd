"""下载中心 URLs."""

from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:job_id>/", views.detail, name="detail"),
    path("<uuid:job_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:job_id>/retry/", views.retry, name="retry"),
    path("<uuid:job_id>/commit/", views.commit, name="commit"),
    path("<uuid:job_id>/download/", views.download, name="download"),
]
