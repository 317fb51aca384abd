"""Read replicas (D36) against two real clusters: pages read the replica, which may lag; a request that wrote,
a transaction, a user who just wrote, and login read the primary; the replica refuses every write."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from wuzaicun.core.db_router import STICKY_COOKIE, ReplicaMiddleware
from wuzaicun.registry.models import Household
from wuzaicun.testing.world import PASSWORD, World, county_a_household

from .conftest import wait_for_replica


@pytest.fixture
def lagging(replicated: World) -> Iterator[Household]:
    """The replica stops replaying the primary's changes (a replica that lags); the household then renamed on
    the primary alone: the replica still shows the old name. Replay resumes and catches up afterwards."""
    household = county_a_household(replicated)
    pause_replay()
    Household.objects_unscoped.filter(pk=household.pk).update(head_name="新户主甲")
    try:
        yield household
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        Household.objects_unscoped.filter(pk=household.pk).update(head_name=household.head_name)
        wait_for_replica()


def pause_replay() -> None:
    """Replay stops before the next record it reads, so the primary writes one (a commit) until it has."""
    with connections["replica"].cursor() as replica, connections["default"].cursor() as primary:
        replica.execute("SELECT pg_wal_replay_pause()")
        for _ in range(200):
            replica.execute("SELECT pg_get_wal_replay_pause_state()")
            if replica.fetchone()[0] == "paused":
                return
            primary.execute("SELECT txid_current()")
            time.sleep(0.02)
    raise AssertionError("the replica did not pause")


def _client(world: World, username: str = "county_a") -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def test_a_page_reads_the_replica_and_shows_what_it_has_replayed(replicated: World, lagging: Household) -> None:
    client = _client(replicated)
    page = client.get("/registry/households/").content.decode()
    assert lagging.head_name in page  # the replica's row: it has not replayed the rename
    assert "新户主甲" not in page
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replica()
    assert "新户主甲" in client.get("/registry/households/").content.decode()


def _run(view: object, **cookies: str) -> HttpResponse:
    request = RequestFactory().get("/registry/households/")
    request.COOKIES.update(cookies)
    return ReplicaMiddleware(view)(request)  # type: ignore[arg-type]


def test_after_a_write_the_same_request_and_the_same_user_read_the_primary(lagging: Household) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        before = Household.objects_unscoped.get(pk=lagging.pk).head_name  # the replica
        Household.objects_unscoped.filter(pk=lagging.pk).update(members=5)  # a write: the primary
        after = Household.objects_unscoped.get(pk=lagging.pk).head_name  # read-your-writes: the primary
        return HttpResponse(f"{before}|{after}")

    response = _run(view)
    assert response.content.decode() == f"{lagging.head_name}|新户主甲"
    # the browser keeps to the primary for a few seconds, so the page it is sent to next shows its change
    assert response.cookies[STICKY_COOKIE]["max-age"] == 10

    def read(request: HttpRequest) -> HttpResponse:
        return HttpResponse(Household.objects_unscoped.get(pk=lagging.pk).head_name)

    assert _run(read, **{STICKY_COOKIE: "1"}).content.decode() == "新户主甲"
    assert _run(read).content.decode() == lagging.head_name  # anyone else reads the lagging replica
    assert STICKY_COOKIE not in _run(read).cookies  # a request that only read sets no cookie


def test_a_transaction_reads_the_primary(lagging: Household) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            inside = Household.objects_unscoped.get(pk=lagging.pk).head_name
        outside = Household.objects_unscoped.get(pk=lagging.pk).head_name
        return HttpResponse(f"{inside}|{outside}")

    assert _run(view).content.decode() == f"新户主甲|{lagging.head_name}"


def test_a_form_post_writes_and_reads_the_primary_and_login_sees_a_fresh_password(
        replicated: World, lagging: Household) -> None:
    # a POST reads what it changes where it changes it: the lagging replica would say the old password
    user = replicated.users["township_a"]
    user.set_password("Fresh#2026wzc")
    user.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "township_a", "password": "Fresh#2026wzc"})
    assert response.status_code == 302, response.content.decode()[:500]
    # the login was all primary-only rows (session, account, audit): the user still reads the replica
    assert STICKY_COOKIE not in response.cookies
    assert lagging.head_name in client.get("/registry/households/").content.decode()
    user.set_password(PASSWORD)
    user.save()


def test_the_replica_refuses_writes(replicated: World) -> None:
    with pytest.raises(DatabaseError, match="read-only"), connections["replica"].cursor() as cursor:
        cursor.execute("UPDATE registry_household SET members = members + 1")
    assert connections["replica"].vendor == "postgresql"


def test_outside_a_request_everything_reads_the_primary(lagging: Household) -> None:
    # commands, jobs and scripts: the router answers the primary
    assert Household.objects_unscoped.get(pk=lagging.pk).head_name == "新户主甲"
