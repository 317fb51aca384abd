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
    path("2fa/", views.twofa_home, name="twofa"),
    path("2fa/verify/", views.twofa_verify, name="twofa_verify"),
    path("2fa/enrol/", views.twofa_enrol, name="twofa_enrol"),
    path("2fa/recovery-codes/", views.twofa_recovery, name="twofa_recovery"),
    path("2fa/disable/", views.twofa_disable, name="twofa_disable"),
    path("2fa/users/", views.twofa_users, name="twofa_users"),
    path("2fa/users/<id:user_id>/reset/", views.twofa_reset, name="twofa_reset"),
]
