"""The production server as README 生产部署 starts it: deploy checks clean with HTTPS=1, unapplied migrations
refused, pages served by gunicorn behind a TLS terminator, static files hashed, compressed and cached for years."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

WUZAICUN = [sys.executable, "-m", "wuzaicun.manage"]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    # what the test process may carry (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE) is not the server's
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "WUZAICUN_PRODUCTION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return env | {"WUZAICUN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "wuzaicun.settings",
                  "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")} | extra


def _run(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*WUZAICUN, *args], env=_env(data_dir, **extra), capture_output=True, text=True,
                          timeout=300, check=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("production")


def test_serve_refuses_a_database_that_is_not_migrated(data_dir: Path) -> None:
    result = _run(data_dir, "serve", "--check-only", HTTPS="1")
    assert result.returncode == 1
    assert "数据库尚有未执行的迁移：请先运行 wuzaicun migrate" in result.stderr


def test_synth_refuses_a_database_that_is_not_migrated(data_dir: Path) -> None:
    result = _run(data_dir, "synth", "--scale", "city")
    assert result.returncode == 1
    assert "数据库尚有未执行的迁移：请先运行 wuzaicun migrate" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    migrated = _run(data_dir, "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    process = subprocess.Popen([*WUZAICUN, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                               env=_env(data_dir, HTTPS="1"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if process.poll() is not None:
                pytest.fail(f"wuzaicun serve exited: {process.stdout.read() if process.stdout else ''}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_deploy_checks_are_clean_with_https(data_dir: Path) -> None:
    result = _run(data_dir, "check", "--deploy", "--fail-level", "WARNING", HTTPS="1")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout + result.stderr


def test_plain_http_is_sent_to_https(server: str) -> None:
    request = urllib.request.Request(f"{server}/accounts/login/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    assert caught.value.code == 301 and caught.value.headers["Location"].startswith("https://")


def test_pages_are_served_and_static_files_are_hashed_compressed_and_cached(server: str) -> None:
    status, headers, body = _get(f"{server}/accounts/login/")
    page = body.decode()
    assert status == 200 and "登录" in page
    assert "Strict-Transport-Security" in headers and "no-store" in headers.get("Cache-Control", "")
    assets = re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', page)
    assert assets and all(re.search(r"\.[0-9a-f]{12}\.(?:js|css)$", a) for a in assets), assets
    status, headers, body = _get(server + assets[0], **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
