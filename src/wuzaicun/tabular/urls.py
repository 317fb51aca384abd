"""Import/export URLs."""

from django.urls import path

from . import views

app_name = "tabular"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:kind>/upload/", views.upload, name="upload"),
    path("<str:kind>/confirm/<str:token>/", views.confirm, name="confirm"),
    path("<str:kind>/errors/<str:token>/", views.error_file, name="errors"),
    path("<str:kind>/template/", views.template_file, name="template"),
    path("<str:kind>/export/", views.export, name="export"),
]
