"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never `playwright install`: the browser is the system's (/usr/bin/chromium, or CHROMIUM_PATH).
Without it every test here is skipped with the reason, unless WUZAICUN_REQUIRE_BROWSER=1 (CI),
where a missing browser is an error rather than a silent skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from wuzaicun.testing.world import PASSWORD, World, build_world

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright 0.10's session-scoped `base_url` fixture trips a pytest 9 deprecation warning.
    config.addinivalue_line("filterwarnings", "ignore:Session-scoped fixtures defined as instance methods")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).is_file():
        return
    missing = f"未找到 Chromium（{CHROMIUM}）：apt-get install chromium，或用 CHROMIUM_PATH 指定"
    if os.environ.get("WUZAICUN_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"浏览器测试必须运行，但{missing}")
    skip = pytest.mark.skip(reason=f"浏览器测试已跳过：{missing}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Let the test body use the ORM while Playwright's sync API keeps an event loop running here.

    Django refuses sync database calls while a loop runs in the thread. The variable is set in
    os.environ from the first browser test to the end of the session (the loop lives that long),
    not at import: subprocesses of earlier tests (`check --deploy`) must not inherit it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def live_world(live_server: Any, transactional_db: None) -> World:
    """The two-county world, committed so that the live server's thread sees it."""
    return build_world()


@pytest.fixture
def log_in(page: Page, live_server: Any) -> Callable[[str], Page]:
    """Log in through the login page (a real attempt, as django-axes sees it) and, for an administrator, the
    dynamic-code page; returns the page."""

    def go(username: str) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        if "/accounts/2fa/verify/" in page.url:  # an administrator: the code off the authenticator
            from wuzaicun.accounts.models import User
            from wuzaicun.testing.twofa import code_for

            page.get_by_label("动态验证码").fill(code_for(User.objects_unscoped.get(username=username)))
            page.get_by_role("button", name="验证").click()
            expect(page).not_to_have_url(re.compile(r"/accounts/2fa/"))
        return page

    return go
