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
    path("users/<id:user_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<id:user_id>/active/", views.user_active, name="user_active"),
    path("users/<id:user_id>/password/", views.user_reset_password, name="user_reset_password"),
    path("security/", views.security, name="security"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<str:handle>/end/", views.session_end, name="session_end"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<id:attempt_id>/unlock/", views.unlock, name="unlock"),
]
