"""Accounts URLs."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("logout-all/", views.logout_everywhere, name="logout_all"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.password, name="password"),
    path("users/", views.users, name="users"),
]
