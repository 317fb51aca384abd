"""Production settings pass Django's deployment checks; secrets and headers are as SECURITY.md asks."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = dict(os.environ, HTTPS="1", DEBUG="0", WUZAICUN_DATA_DIR=str(tmp_path), SECRET_KEY="x" * 60 + "Yz9!",
               DJANGO_SETTINGS_MODULE="wuzaicun.settings")
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run([sys.executable, "-m", "wuzaicun.manage", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_defaults_are_safe():
    assert settings.DEBUG is False
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.LANGUAGE_CODE == "zh-hans"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_secure_headers_are_sent(db):
    response = Client().get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Request-ID"]


def test_a_generated_secret_key_is_kept_under_the_data_folder():
    assert (settings.DATA_DIR / "secret_key.txt").exists() or os.environ.get("SECRET_KEY")


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert mode in ("wal", "memory")
