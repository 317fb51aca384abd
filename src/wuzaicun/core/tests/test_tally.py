"""Tallies (D47): the counts kept by triggers equal the counted rows after every kind of write, on both databases;
the figures read them within each user's scope; two writers of one village do not wait for each other."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, connections

from wuzaicun.core import tally
from wuzaicun.registry.models import Household, HouseholdTally
from wuzaicun.registry.selectors import household_year_counts
from wuzaicun.resources.models import KinPairing, KinPairingTally
from wuzaicun.resources.selectors.pairings import pairing_counts
from wuzaicun.testing import factories

A1, A2, B1 = "520302001001", "520302001002", "520303100201"


def _households(world: Any, county: str) -> dict[str, int]:
    return household_year_counts(world.users[f"county_{county}"], year=2016)


def _counted(prefix: str) -> dict[str, int]:
    """What the tally must say, counted from the households themselves."""
    rows = Household.objects_unscoped.filter(region__code__startswith=prefix, identified_year__lte=2016)
    return {"households": rows.count(), "exited": rows.filter(exit_year=2016).count(),
            "poor": rows.exclude(exit_year__lte=2016).count()}


def test_the_households_tally_follows_every_write_and_each_county_reads_its_own(world):
    from wuzaicun.regions.models import Region

    assert set(tally.tallies()) == {HouseholdTally, KinPairingTally}
    a, b = _households(world, "a"), _households(world, "b")
    assert a == _counted("520302") and b == _counted("520303") and a["households"] == 6 == b["households"]

    factories.household(Region.objects_unscoped.get(code=A2), identified_year=2015)  # the ORM's INSERT
    factories.household(Region.objects_unscoped.get(code=A2), identified_year=2017)  # not yet identified in 2016
    Household.objects_unscoped.filter(pk=world.households[A1][0].pk).update(exit_year=2016, status="已脱贫")
    with connection.cursor() as cursor:  # plain SQL: a move to the other county, a delete
        cursor.execute("UPDATE registry_household SET region_id = %s WHERE id = %s", [B1, world.households[A1][1].pk])
        cursor.execute("DELETE FROM registry_household WHERE id = %s", [world.households[B1][2].pk])
    a, b = _households(world, "a"), _households(world, "b")
    assert a == _counted("520302") == {"households": 6, "exited": 1, "poor": 5}
    assert b == _counted("520303") == {"households": 6, "exited": 0, "poor": 6}
    assert tally.differences() == {}


def test_the_kin_tally_follows_its_household_and_the_years(world):
    from wuzaicun.resources.services.pairings import create_kin_pairing

    def make(county: str, village: str, i: int, since: int = 2016) -> KinPairing:
        return create_kin_pairing(actor=world.users[f"county_{county}"], person_id=world.people[village][i % 2].pk,
                                  household_id=world.households[village][i].pk, since=since)

    mine = [make("a", A1, i) for i in range(3)]
    theirs = make("b", B1, 0)
    make("b", B1, 1, since=2017)  # not in force in 2016

    def kin(county: str) -> int:
        return int(pairing_counts(world.users[f"county_{county}"], year=2016)["kin_pairs"])

    assert (kin("a"), kin("b")) == (3, 1)
    KinPairing.objects_unscoped.filter(pk=mine[0].pk).update(until=2015)  # ended before the year
    with connection.cursor() as cursor:  # the household moves; its pairing follows (D46), and the tally with it
        cursor.execute("UPDATE registry_household SET region_id = %s WHERE id = %s", [B1, mine[1].household_id])
    assert (kin("a"), kin("b")) == (1, 2)
    assert KinPairing.objects_unscoped.get(pk=theirs.pk).village_id == B1
    assert tally.differences() == {}
    assert int(pairing_counts(world.users["city"], year=2017)["kin_pairs"]) == 4


def test_triggers_put_back_count_what_was_written_while_they_were_missing(world):
    """The first migrate after a tally is added, and SQLite's every migrate (which sets the triggers aside): a
    household written meanwhile is counted when they are put back; with them in place nothing is recounted."""
    from wuzaicun.regions.models import Region

    tally.remove(connection)
    factories.household(Region.objects_unscoped.get(code=A2))
    assert tally.differences() == {"registry_householdtally": 1}
    tally.install(connection)
    assert tally.differences() == {} and _households(world, "a") == _counted("520302")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_householdtally SET n = n + 1 WHERE village_id = %s", [A1])
    tally.install(connection)  # the triggers were there: no recount (a rebuild is `wuzaicun tally rebuild`)
    assert tally.differences() == {"registry_householdtally": 1}


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_statement_changing_the_key_and_the_village_is_counted(world):
    """PostgreSQL's update trigger pairs old and new rows by primary key to see whether a count changed: a row whose
    key changed in the same statement counts as changed."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_household SET id = id + 1000000, region_id = %s WHERE id = %s",
                       [B1, world.households[A1][0].pk])
    assert tally.differences() == {}
    assert _households(world, "a")["households"] == 5 and _households(world, "b")["households"] == 7


def test_only_a_write_that_changes_a_count_moves_the_tally(world):
    """An income corrected (no count changes) leaves the tally's stamp, so the figures reading it stay cached; a
    household leaving poverty moves it (I49)."""
    from wuzaicun.core import generation

    household = world.households[A1][0]
    before = generation.stamps()
    Household.objects_unscoped.filter(pk=household.pk).update(income_per_head=5000)
    after = generation.stamps()
    assert after["registry_household"] > before["registry_household"]
    assert after["registry_householdtally"] == before["registry_householdtally"]
    Household.objects_unscoped.filter(pk=household.pk).update(exit_year=2016)
    assert generation.stamps()["registry_householdtally"] > after["registry_householdtally"]


def test_a_wrong_tally_is_found_and_rebuilt(world):
    assert tally.differences() == {}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_householdtally SET n = n + 5 WHERE village_id = %s", [A1])
    assert tally.differences() == {"registry_householdtally": 1}
    assert _households(world, "a") != _counted("520302")
    tally.rebuild()
    assert tally.differences() == {} and _households(world, "a") == _counted("520302")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_keeps_each_transaction_apart_and_folds_them(world):
    from wuzaicun.core import generation

    factories.household(world.households[A1][0].region)
    writers = set(HouseholdTally.objects_unscoped.values_list("writer", flat=True))
    assert writers - {0}, "the test's transaction writes rows of its own"
    before = _households(world, "a")
    assert tally.fold() > 0
    assert set(HouseholdTally.objects_unscoped.values_list("writer", flat=True)) == {0}
    assert _households(world, "a") == before == _counted("520302") and tally.differences() == {}
    stamp = generation.stamps()["registry_householdtally"]
    assert tally.fold() == 0 and generation.stamps()["registry_householdtally"] == stamp  # nothing to fold


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_village_do_not_wait_for_each_other(world):
    """An import holding a village's households open (uncommitted) and an official adding a household to the same
    village: the second commits at once (no lock on a shared counter), and both count once committed."""
    columns = [f.column for f in Household._meta.concrete_fields if not f.primary_key]
    picked = ", ".join("md5(random()::text)" if c == "resident_id_hash" else c for c in columns)
    copy = f"INSERT INTO registry_household ({', '.join(columns)}) SELECT {picked} FROM registry_household WHERE id = %s"  # noqa: S608
    other = connections.create_connection("default")
    try:
        with connection.cursor() as first:
            first.execute("BEGIN")
            first.execute(copy, [world.households[A1][0].pk])
            with other.cursor() as second:
                second.execute("SET lock_timeout = '2s'")
                second.execute(copy, [world.households[A1][1].pk])  # autocommit: committed now, without waiting
            first.execute("COMMIT")
    finally:
        other.close()
    assert _households(world, "a")["households"] == 8 == _counted("520302")["households"]
    assert tally.differences() == {}


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_tallies_and_leaves_them_counting(world):
    """Tests' teardown empties every table (SQLite: table by table, the villages before the households): the
    tallies end empty, not holding counts of villages gone, and the triggers are back for the next test."""
    from django.core.management import call_command

    from wuzaicun.regions.models import Level, Region

    call_command("flush", interactive=False, verbosity=0)
    assert not HouseholdTally.objects_unscoped.exists() and not KinPairingTally.objects_unscoped.exists()
    Region.objects_unscoped.create(code=A1, name="一村", level=Level.VILLAGE, parent=None)
    factories.household(Region.objects_unscoped.get(code=A1))
    assert list(HouseholdTally.objects_unscoped.values_list("village_id", "n")) == [(A1, 1)]


def test_the_tally_command_checks_names_the_wrong_count_and_rebuilds(world, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("tally", "check")
    assert "计数与原始数据一致：农户计数、干群结亲计数" in capsys.readouterr().err
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_householdtally WHERE village_id = %s", [B1])
    with pytest.raises(CommandError, match="计数与原始数据不符：农户计数 1 处。请运行 wuzaicun tally rebuild"):
        call_command("tally", "check")
    call_command("tally", "rebuild")
    assert "已重新计数" in capsys.readouterr().err and tally.differences() == {}
    call_command("tally", "fold")
    assert "计数与原始数据一致" in capsys.readouterr().err
