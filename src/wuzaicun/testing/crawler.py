"""The crawler: every page and API route a user can reach, filled in with objects from both sides.

One crawl gives several checks cheaply (SECURITY.md): no cross-scope leak, no full ID number in
any response, no-store caching on authenticated pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wuzaicun.accounts.models import User
from wuzaicun.registry.models import Household, Person

from .world import World

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_SKIP_NAMES = {"logout", "confirm", "errors"}  # POST-only or needs an upload token


@dataclass(frozen=True)
class Visit:
    url: str
    status: int
    body: str
    headers: dict[str, str]


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.lstrip("^").rstrip("$"), entry.name or ""


def _values(world: World) -> dict[str, list[str]]:
    households = [str(pk) for pk in Household.objects_unscoped.values_list("pk", flat=True)]
    people = [str(pk) for pk in Person.objects_unscoped.values_list("pk", flat=True)]
    return {
        "pk": households,
        "household_id": households,
        "person_id": people,
        "user_id": [str(pk) for pk in User.objects_unscoped.values_list("pk", flat=True)],
        "code": list(world.regions),
        "kind": ["households", "people", "regions", "villages"],
    }


def concrete_urls(world: World) -> list[str]:
    """Every GET-able URL of the site, each parameter filled with every object of the world."""
    values = _values(world)
    urls: list[str] = []
    for route, name in _patterns(get_resolver()):
        if name in _SKIP_NAMES or ("token" in route and "auth" not in route):
            continue
        if "api/" in route and route.endswith("api/"):
            continue
        params = _PARAM.findall(route) or re.findall(r"\{(\w+)\}", route)
        expanded = [route]
        for _, param in params:
            options = values.get(param)
            if options is None:
                expanded = []
                break
            expanded = [re.sub(rf"<(?:\w+:)?{param}>", v, u) for u in expanded for v in options]
        urls.extend("/" + u for u in expanded)
    return sorted(set(urls))


def crawl(client: Client, world: World) -> list[Visit]:
    visits = []
    for url in concrete_urls(world):
        response = client.get(url)
        if response.streaming:
            body = b"".join(getattr(response, "streaming_content")).decode("utf-8", "replace")  # noqa: B009
        else:
            body = response.content.decode("utf-8", "replace")
        visits.append(Visit(url, response.status_code, body, dict(response.headers)))
    return visits


def all_text(visits: list[Visit]) -> str:
    return "\n".join(v.body for v in visits)


__all__ = ["Visit", "all_text", "concrete_urls", "crawl"]
