"""Deny by default, proven by walking the URL configuration: every route Django knows (the API's included), with
its path converters filled, answers an anonymous visitor with the login page (pages) or 401 (API), whatever the
method, unless it is on the short public allowlist below. A new view that forgets its permission is still closed;
a new public route has to be added here, in review."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# The public routes: signing in, the public register of spot-check plans (published on purpose, D-sampling), the
# API's schema (it describes operations, holds no data) and the API's token exchange (it checks the password and
# the dynamic code itself). Static files are served by WhiteNoise before any URL pattern.
PUBLIC = {
    "accounts/login/",
    "public/spotcheck/",
    "public/spotcheck/<id:pk>/",
    "api/openapi.json",
    "api/auth/token",
}
FILL = {"id": "1", "int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001",
        "": "x"}
EMPTY = {"api/"}  # django-ninja's root: answers 404, serves nothing
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _fill(route: str) -> str:
    assert not route.startswith("^"), f"a regular-expression route cannot be filled in: {route}"
    return "/" + _PARAM.sub(lambda m: FILL[m.group(1) or ""], route)


ROUTES = sorted(set(_routes(get_resolver())))


def test_the_walk_covers_the_site():
    assert len(ROUTES) > 200
    assert {"accounts/2fa/verify/", "accounts/users/", "api/households/<int:household_id>"} & set(ROUTES)
    assert set(ROUTES) >= PUBLIC, PUBLIC - set(ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_route_but_the_public_ones_needs_a_login(method):
    client = Client()
    open_ = []
    for route in ROUTES:
        if route in PUBLIC:
            continue
        url = _fill(route)
        response = getattr(client, method)(url)
        if route in EMPTY:
            assert response.status_code == 404, url
        elif route.startswith("api/"):
            if response.status_code not in (401, 405):
                open_.append(f"{method.upper()} {url} → {response.status_code}")
        elif response.status_code != 302 or not response["Location"].startswith("/accounts/login/"):
            open_.append(f"{method.upper()} {url} → {response.status_code}")
    assert not open_, "\n".join(open_)


@pytest.mark.django_db
def test_the_api_routes_refuse_every_method_they_declare_without_a_token():
    """A 405 above only says GET or POST is not the route's method: each API route's own methods answer 401."""
    client = Client()
    for route in ROUTES:
        if not route.startswith("api/") or route in PUBLIC or route in EMPTY:
            continue
        url = _fill(route)
        answers = {m: getattr(client, m)(url).status_code for m in ("get", "post", "put", "patch", "delete")}
        assert 401 in answers.values(), f"{url}: {answers}"
        assert set(answers.values()) <= {401, 405}, f"{url}: {answers}"


@pytest.mark.django_db
def test_the_public_routes_answer_without_a_login_and_show_no_business_data(world):
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/public/spotcheck/").status_code == 200
    assert client.get("/public/spotcheck/1/").status_code == 404  # no plan yet: nothing else is public
    assert client.post("/api/auth/token", data={}, content_type="application/json").status_code in (400, 422)
    text = client.get("/public/spotcheck/").text + client.get("/accounts/login/").text
    for name in ("甲村", "乙村", "丙村", "丁村"):
        assert name not in text
