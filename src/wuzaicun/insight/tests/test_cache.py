"""The overview is computed once per data generation and audience, then served from the cache; every kind of
write (a service's form save, a tabular import, a delete, a synth run, raw SQL) shows in the next overview; two
audiences never share an entry; a rolled-back write changes nothing (docs/insight.md, I40–I45)."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wuzaicun.core import generation
from wuzaicun.core.operator import OPERATOR
from wuzaicun.insight.cache import audience, cached, one_stamp_read
from wuzaicun.insight.figures import compute_stats, once, reading
from wuzaicun.insight.selectors import PERSONAL, stats_for_user
from wuzaicun.registry.models import Household
from wuzaicun.registry.services import delete_household, save_household
from wuzaicun.tabular.bulk import insert_rows
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.tests import sheets
from wuzaicun.testing.world import World

from .data import YEAR, populate

VILLAGE_A = "520302001001"
VILLAGE_B = "520303100201"


@pytest.fixture
def populated(world: World) -> World:
    populate(world, "a", 1)
    populate(world, "b", 2)
    return world


def poor_households(user, region: str | None = None) -> int:
    return int(stats_for_user(user, year=YEAR, region=region).figure("poor_households").value)


def queries_of(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def add_household(world: World, user: str = "county_a", village: str = VILLAGE_A) -> Household:
    return save_household(
        actor=world.users[user], region_code=village, head_name="新户", resident_id=sheets.new_resident_id(village[:6]),
        members=3, status="未脱贫", identified_year=YEAR - 1, exit_year=None, cause="因病",
        income_per_head=Decimal("2100.00"))


def page_figure(client: Client, key: str, **params: str) -> str:
    response = client.get("/insight/", {"year": YEAR, **params})
    assert response.status_code == 200
    found = re.search(rf'data-key="{key}">.*?title="([^"]+)"', response.content.decode(), re.S)
    assert found, key
    return found.group(1)


def test_the_second_overview_is_served_from_the_cache_in_a_few_queries(populated: World) -> None:
    city = populated.users["city"]
    first = queries_of(lambda: stats_for_user(city, year=YEAR))
    again = queries_of(lambda: stats_for_user(city, year=YEAR))
    assert first > 40
    assert again == 2  # the data generation, and the plans this user sees (the one personal figure)
    assert stats_for_user(city, year=YEAR).values() == stats_for_user(city, year=YEAR).values()


def test_a_form_save_through_a_service_shows_in_the_next_overview(populated: World, client_for) -> None:
    client = client_for("city")
    before = page_figure(client, "poor_households")
    assert page_figure(client, "poor_households") == before  # from the cache
    add_household(populated)
    assert page_figure(client, "poor_households") == f"{int(before.split()[0]) + 1} 户"


def test_a_tabular_import_shows_in_the_next_overview(populated: World, tmp_path) -> None:
    city = populated.users["city"]
    before = poor_households(city)
    rows = [sheets.household(VILLAGE_A, 识别年度=2014), sheets.household(VILLAGE_A, 识别年度=2015)]
    path = sheets.write_csv(tmp_path / "户.csv", sheets.table(sheets.HOUSEHOLD_HEADERS, rows))
    report = import_file(actor=populated.users["county_a"], kind="households", path=path)
    assert report.ok, report.issues
    assert poor_households(city) == before + 2
    assert poor_households(city, "520302000000") == poor_households(populated.users["county_a"])


def test_a_delete_shows_in_the_next_overview(populated: World) -> None:
    city = populated.users["city"]
    household = add_household(populated)
    before = poor_households(city)
    delete_household(actor=populated.users["county_a"], household_id=household.pk)
    assert poor_households(city) == before - 1


def test_raw_sql_and_the_bulk_path_show_in_the_next_overview(populated: World) -> None:
    city = populated.users["city"]
    before = stats_for_user(city, year=YEAR).figure("poor_villages").value
    with connection.cursor() as cursor:
        cursor.execute("UPDATE regions_villageyear SET is_poor = %s WHERE village_id = %s AND year = %s",
                       [True, "520302001002", YEAR])
    assert stats_for_user(city, year=YEAR).figure("poor_villages").value == before + 1
    households = stats_for_user(city, year=YEAR).figure("poor_households").value
    found = Household.objects_unscoped.filter(region_id=VILLAGE_A).values().first()
    assert found is not None
    template: dict[str, Any] = dict(found)
    number = sheets.new_resident_id("520302")
    from wuzaicun.registry.fields import resident_id_hash

    template.update(id=None, resident_id_hash=resident_id_hash(number), head_name="批量户")
    columns = [c for c in template if c != "id"]
    insert_rows(Household._meta.db_table, columns, [[template[c] for c in columns]])
    assert stats_for_user(city, year=YEAR).figure("poor_households").value == households + 1


@pytest.mark.django_db
def test_a_synth_run_shows_in_the_next_overview() -> None:
    from wuzaicun.core.synth import new_context
    from wuzaicun.regions.services import load_shipped_divisions
    from wuzaicun.regions.synth import generate_village_years, load_regions

    load_shipped_divisions(actor=None, prefix="5203")
    assert stats_for_user(OPERATOR, year=2016).figure("poor_villages").value == 0
    assert queries_of(lambda: stats_for_user(OPERATOR, year=2016)) == 2
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    generate_village_years(ctx)  # the synth's bulk path, no audit row of its own
    assert stats_for_user(OPERATOR, year=2016).figure("poor_villages").value == 871


def test_two_scopes_never_share_an_entry(populated: World) -> None:
    a, b = populated.users["county_a"], populated.users["county_b"]
    first_a, first_b = poor_households(a), poor_households(b)
    assert first_a != first_b or audience(a) != audience(b)
    assert audience(a) != audience(b)
    add_household(populated, "county_b", VILLAGE_B)  # a write on B's side: A unchanged, B one more
    assert poor_households(a) == first_a
    assert poor_households(b) == first_b + 1
    add_household(populated, "county_a", VILLAGE_A)  # and the other way
    assert poor_households(b) == first_b + 1
    assert poor_households(a) == first_a + 1
    assert poor_households(populated.users["city"]) == first_a + first_b + 2


def test_the_same_scope_with_other_permissions_is_another_entry(populated: World) -> None:
    admin, leader, auditor = (populated.users[u] for u in ("county_a", "leader_a", "auditor_a"))
    assert admin.scope_id == leader.scope_id == auditor.scope_id
    assert len({audience(admin), audience(leader), audience(auditor)}) == 3
    assert poor_households(admin) > 0
    assert queries_of(lambda: stats_for_user(leader, year=YEAR)) > 40  # not the county admin's entry
    from wuzaicun.accounts.models import User

    twin = User.objects_unscoped.create(username="county_a2", role="county_admin", scope=admin.scope)
    assert audience(twin) == audience(admin)
    assert queries_of(lambda: stats_for_user(twin, year=YEAR)) == 2  # shares the county admin's entry


def test_a_rolled_back_write_does_not_change_the_stamp(populated: World) -> None:
    stamp = generation.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        add_household(populated)
        assert generation.current() > stamp  # this transaction sees its own bump
        raise RuntimeError
    assert generation.current() == stamp
    add_household(populated)
    assert generation.current() > stamp


def test_inside_a_transaction_of_its_own_nothing_is_stored(populated: World) -> None:
    city = populated.users["city"]
    before = poor_households(city)
    with pytest.raises(RuntimeError), transaction.atomic():
        add_household(populated)
        assert poor_households(city) == before + 1  # computed afresh, not stored
        raise RuntimeError
    assert poor_households(city) == before
    def probe(value: int) -> int:  # a part that reads a business table
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM regions_region")
        return value

    assert cached(("probe",), lambda: probe(1)) == 1
    with transaction.atomic():
        assert cached(("probe",), lambda: probe(2)) == 2  # neither read nor written inside
    assert cached(("probe",), lambda: probe(3)) == 1
    assert cached(("probe-nothing",), lambda: 4) == 4
    assert cached(("probe-nothing",), lambda: 5) == 5  # a part that read no business table is never kept


@pytest.mark.django_db
def test_every_business_table_bumps_the_stamp_and_only_those() -> None:
    tables = generation.business_tables(connection)
    assert {"registry_household", "regions_villageyear", "verification_spotcheckplan_inspectors",
            "resources_contribution"} <= set(tables)
    assert not [t for t in tables if t.startswith(("audit_", "accounts_", "django_", "axes_", "auth_", "core_", "jobs_"))]
    assert generation.install(connection) == 0  # installed by migrate, on every one of them
    stamp = generation.current()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO regions_region (code, name, level, parent_id, urban_rural_code) VALUES (%s, %s, 1, NULL, %s)",
                       ["530000000000", "云南省", ""])
        assert generation.current() > stamp
        stamp = generation.current()
        cursor.execute("DELETE FROM regions_region WHERE code = %s", ["530000000000"])
        assert generation.current() > stamp
        stamp = generation.current()
        cursor.execute("SELECT count(*) FROM regions_region")  # a read bumps nothing
        from wuzaicun.accounts.models import User

        nobody = User.objects_unscoped.create(username="nobody", role="leader")  # nor do accounts
        from wuzaicun.jobs.models import Job

        Job.objects_unscoped.create(kind="export", label="导出", user=nobody, params={})  # nor a job's progress
    assert generation.current() == stamp


@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_plans():
    """The figures' aggregates cross PostgreSQL's JIT threshold at city scale; compiling cost 70+ ms a cold
    overview and saved nothing (docs/insight.md, I46): the connections run with JIT off."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def count_of(table: str) -> Any:
    def compute() -> int:
        computed.append(table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0])
    computed: list[str] = []
    compute.computed = computed
    return compute


def test_a_write_recomputes_only_the_parts_that_read_its_table(populated: World) -> None:
    households, regions = count_of("registry_household"), count_of("regions_region")
    before = cached(("probe-h",), households), cached(("probe-r",), regions)
    assert (cached(("probe-h",), households), cached(("probe-r",), regions)) == before
    assert len(households.computed) == len(regions.computed) == 1
    add_household(populated)
    assert cached(("probe-h",), households) == before[0] + 1  # read the written table: computed afresh
    assert cached(("probe-r",), regions) == before[1]
    assert len(households.computed) == 2 and len(regions.computed) == 1  # the other part was kept
    with connection.cursor() as cursor:  # and the other way round
        cursor.execute("UPDATE regions_region SET name = name WHERE code = %s", [VILLAGE_B])
    cached(("probe-h",), households), cached(("probe-r",), regions)
    assert len(households.computed) == 2 and len(regions.computed) == 2


def test_a_part_inside_another_passes_its_tables_on(populated: World) -> None:
    households = count_of("registry_household")
    cached(("probe-inner",), households)  # stored: the outer part below finds it without a query
    outer = count_of("regions_region")

    def both() -> int:
        return cached(("probe-inner",), households) + outer()

    first = cached(("probe-outer",), both)
    assert len(households.computed) == 1
    add_household(populated)
    assert cached(("probe-outer",), both) == first + 1  # the inner part's table is the outer's too


def test_after_a_write_the_overview_recomputes_only_the_sections_that_read_it(populated: World) -> None:
    city = populated.users["city"]
    cold = queries_of(lambda: stats_for_user(city, year=YEAR))
    before = stats_for_user(city, year=YEAR).values()
    add_household(populated)
    after_write = queries_of(lambda: stats_for_user(city, year=YEAR))
    assert 2 < after_write < cold  # the sections that count households, not the whole document
    values = stats_for_user(city, year=YEAR).values()
    assert values["poor_households"] == before["poor_households"] + 1
    assert values["households_still_poor"] == before["households_still_poor"] + 1
    assert values == compute_stats(city, year=YEAR).values() | {PERSONAL: values[PERSONAL]}


def test_a_household_write_keeps_the_kin_pairing_figures(populated: World) -> None:
    """干群结亲 keep their household's village (D46): their count reads the pairings alone, so after a household
    is added the overview recomputes the household figures and not the pairings'; a new pairing recomputes them."""
    from wuzaicun.resources.services.pairings import create_kin_pairing

    city = populated.users["city"]
    before = stats_for_user(city, year=YEAR).values()
    household = add_household(populated)
    with CaptureQueriesContext(connection) as captured:
        after = stats_for_user(city, year=YEAR).values()
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert "registry_household" in read and "resources_kinpairing" not in read
    assert after["poor_households"] == before["poor_households"] + 1 and after["kin_pairs"] == before["kin_pairs"]
    person = populated.people[VILLAGE_A][0]
    create_kin_pairing(actor=populated.users["county_a"], person_id=person.pk, household_id=household.pk, since=YEAR)
    assert stats_for_user(city, year=YEAR).values()["kin_pairs"] == before["kin_pairs"] + 1


@pytest.mark.django_db
def test_each_table_has_its_own_stamp_and_a_restore_moves_them_all() -> None:
    first = generation.stamps()
    assert {"registry_household", "regions_region"} <= set(first)
    with connection.cursor() as cursor:  # a row trigger (SQLite) fires only on a row
        cursor.execute("INSERT INTO regions_region (code, name, level, parent_id, urban_rural_code) "
                       "VALUES (%s, %s, 1, NULL, %s)", ["530000000000", "云南省", ""])
    second = generation.stamps()
    assert second["regions_region"] > first["regions_region"]
    assert {t: s for t, s in second.items() if t != "regions_region"} == \
        {t: s for t, s in first.items() if t != "regions_region"}
    generation.advance(connection)  # what a restore and every migrate do
    now_us = time.time_ns() // 1000
    third = generation.stamps()
    assert all(third[t] > second[t] and third[t] >= now_us - 60_000_000 for t in second)


@pytest.mark.django_db
def test_sqlite_triggers_of_the_single_counter_are_replaced() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TRIGGER wzgen_u_regions_region AFTER UPDATE ON regions_region "
                       "BEGIN UPDATE core_datageneration SET n = n + 1 WHERE slot = 0; END")
        generation.install(connection)
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'wzgen%'")
        assert cursor.fetchall() == []
        before = generation.stamps()["regions_region"]
        cursor.execute("INSERT INTO regions_region (code, name, level, parent_id, urban_rural_code) "
                       "VALUES (%s, %s, 1, NULL, %s)", ["530000000000", "云南省", ""])
        assert generation.stamps()["regions_region"] == before + 1  # the table's own trigger bumps


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_table_do_not_wait_for_each_other() -> None:
    """PostgreSQL: a long import holds one counter row of its table until it commits; a form save on the same
    table takes another slot instead of queueing behind it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                            user=settings["USER"], dbname=settings["NAME"])
    try:
        other.execute("UPDATE regions_region SET name = name WHERE code = '-'")  # holds a slot, uncommitted
        before = generation.stamps()["regions_region"]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            cursor.execute("UPDATE regions_region SET name = name WHERE code = '-'")
        assert generation.stamps()["regions_region"] == before + 1
        other.commit()
        assert generation.stamps()["regions_region"] == before + 2
    finally:
        other.close()


def test_a_read_shared_by_two_parts_reaches_both(populated: World) -> None:
    """The year's village facts serve three sections: each of them must learn their table, not only the first
    that asked, or a write to it would recompute one section and leave the others as they were."""
    def households(user: Any) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM registry_household")
            return int(cursor.fetchone()[0])

    def page() -> tuple[int, int]:
        with one_stamp_read(), reading(lambda name, compute: cached((name,), compute)):
            return (cached(("part-a",), lambda: once(households, None)),
                    cached(("part-b",), lambda: once(households, None)))

    first = page()
    assert page() == first
    add_household(populated)
    assert page() == (first[0] + 1, first[1] + 1)


def test_after_a_write_to_the_village_facts_every_section_is_fresh(populated: World) -> None:
    city = populated.users["city"]
    before = stats_for_user(city, year=YEAR).values()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE regions_villageyear SET is_poor = %s, exit_year = %s WHERE year = %s",
                       [True, YEAR, YEAR])
    values = stats_for_user(city, year=YEAR).values()
    assert values["poor_villages_exited"] != before["poor_villages_exited"]
    assert values == compute_stats(city, year=YEAR).values() | {PERSONAL: values[PERSONAL]}


@pytest.mark.django_db
def test_a_part_is_kept_with_the_base_so_another_timeline_is_never_matched() -> None:
    """After a restore a table's stamp is the base plus the backup's count: should that sum happen to equal the
    stamp a part was kept under, the base (moved by every restore and migrate) still tells them apart."""
    computed: list[int] = []

    def count() -> int:
        computed.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM regions_region")
            return int(cursor.fetchone()[0])

    cached(("probe-base",), count)
    cached(("probe-base",), count)
    assert len(computed) == 1
    stamp = generation.stamps()["regions_region"]
    with connection.cursor() as cursor:  # the table's count 5 lower, the base 5 higher: the same table stamp
        cursor.execute(f"UPDATE {generation.TABLES} SET n = n - 5 WHERE name = 'regions_region' AND slot = 0")  # noqa: S608
        cursor.execute(f"UPDATE {generation.TABLE} SET n = n + 5 WHERE slot = 0")  # noqa: S608
    assert generation.stamps()["regions_region"] == stamp
    cached(("probe-base",), count)
    assert len(computed) == 2
