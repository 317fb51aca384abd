"""django-ninja names an OpenAPI component after its schema class: two schemas of one name in different apps
silently overwrite each other in /api/openapi.json (a client then reads the wrong shape)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_every_api_schema_has_a_name_of_its_own(client):
    import wuzaicun.api  # noqa: F401  (imports every app's routers and their schemas)

    assert client.get("/api/openapi.json").status_code == 200
    modules: dict[str, set[str]] = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("wuzaicun.") and ".tests." not in schema.__module__:
            modules[schema.__name__].add(schema.__module__)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}
