"""Schemathesis runs every API operation, authenticated as a county user, with all of its checks.

The schema is read in-process from /api/openapi.json through the WSGI application (no server). Every
answer must be JSON of the documented shape: no 500, no HTML page, no undocumented status; bad
parameters answer 400 and unauthenticated requests 401.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from wuzaicun.testing.api import wsgi_bearer
from wuzaicun.testing.world import World

CONFIG = SchemathesisConfig.from_dict({
    "checks": {
        # A schema-valid request may still break a business rule (an ID's check digit, a year whose lists are
        # not open, a person who does not help that household): that is a 400 with its Chinese reason.
        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]},
    },
})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture
def bearer(world: World) -> Iterator[dict[str, str]]:
    with wsgi_bearer(world.users["county_a"]) as headers:
        yield headers


@schema.parametrize()
@settings(max_examples=10, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_json_within_its_schema(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer)
