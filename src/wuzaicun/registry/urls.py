"""Registry URLs."""

from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("tree/", views.tree, name="tree"),
    path("tree/<str:code>/", views.tree, name="tree_region"),
    path("households/", views.households, name="households"),
    path("households/new/", views.household_edit, name="household_new"),
    path("households/<id:pk>/", views.household_detail, name="household"),
    path("households/<id:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<id:pk>/delete/", views.household_delete, name="household_delete"),
    path("households/<id:pk>/reveal/", views.household_reveal, name="household_reveal"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_new"),
    path("people/<id:person_id>/edit/", views.person_edit, name="person_edit"),
    path("pick/<str:kind>/", views.pick, name="pick"),
]
