"""The replica router's decisions (D36), without a replica: which alias a read would use, and when the user
is kept on the primary. tests/replica/ proves them against two real clusters."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from wuzaicun.accounts.models import User
from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.db_router import STICKY_COOKIE, ReplicaMiddleware, ReplicaRouter, request_scope
from wuzaicun.registry.models import Household

router = ReplicaRouter()


@pytest.fixture
def replicas(settings: Any) -> None:
    settings.DATABASE_REPLICAS = ["replica", "replica2"]


def test_without_a_request_every_read_goes_to_the_primary(replicas: None) -> None:
    assert router.db_for_read(Household) == "default"


def test_in_a_request_business_reads_go_to_one_replica_and_exact_ones_to_the_primary(replicas: None) -> None:
    with request_scope() as scope:
        assert router.db_for_read(Household) == scope.replica in {"replica", "replica2"}
        assert router.db_for_read(Household) == scope.replica  # the same replica for the whole request
        assert router.db_for_read(User) == "default"
        assert router.db_for_read(AuditEntry) == "default"


def test_a_write_pins_the_rest_of_the_request(replicas: None) -> None:
    with request_scope() as scope:
        assert router.db_for_write(Household) == "default"
        assert router.db_for_read(Household) == "default"
        assert scope.wrote


def test_a_housekeeping_write_pins_the_request_but_sets_no_sticky_cookie(replicas: None) -> None:
    with request_scope() as scope:
        router.db_for_write(User)
        assert scope.pinned and not scope.wrote


@pytest.mark.django_db(transaction=True)  # the test's own transaction would send every read to the primary
def test_raw_sql_writes_and_transactions_read_the_primary(replicas: None) -> None:
    with request_scope() as scope:
        with transaction.atomic():
            assert router.db_for_read(Household) == "default"
        assert router.db_for_read(Household) == scope.replica
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_household SET members = members WHERE id = -1")
        assert router.db_for_read(Household) == "default"


def _through(view: Any, method: str = "get", **cookies: str) -> HttpResponse:
    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies)
    return ReplicaMiddleware(view)(request)


def test_posts_and_users_who_just_wrote_read_the_primary(replicas: None) -> None:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(Household))
        return HttpResponse()

    _through(view)
    _through(view, "post")
    _through(view, **{STICKY_COOKIE: "1"})
    assert seen[0] != "default" and seen[1:] == ["default", "default"]


def test_a_request_that_wrote_keeps_its_browser_on_the_primary_for_ten_seconds(replicas: None) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        router.db_for_write(Household)
        return HttpResponse()

    cookie = _through(view, "post").cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]


def test_without_replicas_the_middleware_does_nothing() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        assert router.db_for_read(Household) == "default"
        router.db_for_write(Household)
        return HttpResponse()

    assert STICKY_COOKIE not in _through(view, "post").cookies
