"""Object-level authorization of the API, fuzzed: schemathesis generates every operation that names an object of
the world in its path (a household, a person, a region or village by code), authenticated as county A's
administrator, and the path is pointed at county B's object. No answer may be a success, a 5xx, or carry anything
of county B: out of scope is 404 (or 403), a body breaking a rule before the lookup 400/422.

The world's objects of other kinds (projects, cases, dispatches...) are covered by each app's scope tests and by
the crawler (accounts/tests/test_crawl.py); test_api_fuzz.py runs every operation with all of schemathesis' checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from wuzaicun.registry.models import Household, Person
from wuzaicun.testing.api import wsgi_bearer
from wuzaicun.testing.world import World

OBJECT_PARAMS = ("household_id", "person_id", "code")
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application()).include(
    path_regex=r"\{(" + "|".join(OBJECT_PARAMS) + r")\}")
B_NAMES = ("汇川区", "高坪镇", "丙村", "丁村")


@pytest.fixture
def county_b(world: World) -> dict[str, Any]:
    """What the paths are pointed at: county B's objects, and the names that must not come back."""
    village = "520303100201"
    household = world.households[village][0]
    person = world.people[village][0]
    return {"household_id": household.pk, "person_id": person.pk, "code": village}


@pytest.fixture
def bearer_a(world: World) -> Iterator[dict[str, str]]:
    with wsgi_bearer(world.users["county_a"]) as headers:
        yield headers


def test_the_fuzzed_operations_are_the_ones_naming_a_world_object():
    operations = [r.ok() for r in schema.get_all_operations()]
    paths = {op.path for op in operations}
    assert "/api/households/{household_id}" in paths and "/api/people/{person_id}" in paths
    assert len(operations) >= 6


@schema.parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_operation_gives_county_a_an_object_of_county_b(case: Any, world: World, county_b: dict[str, Any],
                                                           bearer_a: dict[str, str]) -> None:
    names = [*B_NAMES, *Household.objects_unscoped.filter(region__code__startswith="520303")
             .values_list("head_name", flat=True),
             *Person.objects_unscoped.filter(region__code__startswith="520303").values_list("name", flat=True)]
    case.path_parameters = {**(case.path_parameters or {}),
                            **{k: v for k, v in county_b.items() if k in (case.path_parameters or {})}}
    response = case.call(headers=bearer_a)
    label = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{label} → {response.status_code}"
    assert response.status_code in (400, 403, 404, 405, 409, 422), f"{label} → {response.status_code}: {response.text[:200]}"
    for name in names:
        assert name not in response.text, f"{label} showed {name}"
