"""Behind the reverse proxy `wuzaicun serve` expects, the audit trail records the client's address, not the
proxy's; a forged X-Forwarded-For from anyone else is ignored."""

from __future__ import annotations

from django.test import Client

from wuzaicun.audit.models import AuditEntry


def _failed_login_ip(**meta: str) -> str:
    Client(**meta).post("/accounts/login/", {"username": "county_a", "password": "wrong-password"})
    return AuditEntry.objects_unscoped.filter(action="login_failed").latest("id").ip


def test_the_client_behind_a_trusted_proxy_is_recorded(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert _failed_login_ip(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.8.1.20") == "10.8.1.20"
    assert _failed_login_ip(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="10.8.1.20") == "10.0.0.5"


def test_without_trusted_proxies_the_header_is_ignored(world, settings):
    settings.TRUSTED_PROXIES = []
    assert _failed_login_ip(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.8.1.20") == "127.0.0.1"
