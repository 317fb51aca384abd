"""The stored helper counts (D23) stay what the links say after every write that can change them."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError
from wuzaicun.core.operator import OPERATOR
from wuzaicun.registry.models import Person
from wuzaicun.responsibility.models import Assignment, AssignmentHousehold, HouseholdHelpers
from wuzaicun.responsibility.services import (
    create_entry,
    delete_entry,
    helper_count_differences,
    rebuild_helper_counts,
    update_entry,
)
from wuzaicun.tabular.services import import_file
from wuzaicun.testing import factories
from wuzaicun.testing.lists import VILLAGE, YEAR


def stored(year: int = YEAR) -> dict[int, int]:
    return dict(HouseholdHelpers.objects_unscoped.filter(year=year).values_list("household_id", "helpers"))


def helper(world, name: str, households: list[int], *, year: int = YEAR) -> Assignment:
    member = factories.person(world.regions[VILLAGE], name=name, rank="农村党员")
    return create_entry(actor=OPERATOR, year=year, kind="helper", village_code=VILLAGE, person_id=member.pk,
                        household_ids=households, duties=["走访"])


def set_households(entry: Assignment, households: list[int]) -> Assignment:
    entry.refresh_from_db()
    return update_entry(actor=OPERATOR, entry_id=entry.pk, expected_version=entry.version, household_ids=households,
                        duties=entry.duties, goal=entry.goal, goal_kind=entry.goal_kind,
                        stationed_post=entry.stationed_post)


def people_import(tmp_path: Path, people: list[Person], status: str) -> None:
    """The people template re-imported with a new 政治面貌: the registry's one write that changes it."""
    path = tmp_path / f"people-{random.random()}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "身份证号", "政治面貌", "职级", "区划代码"])
        for p in people:
            writer.writerow([p.name, p.reveal_resident_id(), status, p.rank, p.region_id])
    report = import_file(actor=OPERATOR, kind="people", path=path)
    assert report.ok, report.issues


def test_creating_helper_entries_counts_each_household_once_per_person(world, year_open):
    h1, h2, h3 = (h.pk for h in world.households[VILLAGE])
    helper(world, "甲", [h1, h2])
    assert stored() == {h1: 1, h2: 1}
    helper(world, "乙", [h1, h2, h3])
    assert stored() == {h1: 2, h2: 2, h3: 1}
    member = factories.person(world.regions[VILLAGE], name="联村领导", rank="县处级")
    create_entry(actor=OPERATOR, year=YEAR, kind="leader", village_code=VILLAGE, person_id=member.pk,
                 household_ids=[h3], duties=["牵头抓总"])  # 联村 is not 助村: not counted
    assert stored() == {h1: 2, h2: 2, h3: 1}
    assert list(helper_count_differences()) == []


def test_changing_an_entrys_households_recounts_the_ones_added_and_removed(world, year_open):
    h1, h2, h3 = (h.pk for h in world.households[VILLAGE])
    entry = helper(world, "甲", [h1, h2])
    helper(world, "乙", [h1])
    set_households(entry, [h2, h3])
    assert stored() == {h1: 1, h2: 1, h3: 1}
    set_households(entry, [h3])
    assert stored() == {h1: 1, h3: 1}  # no row: no helper
    assert list(helper_count_differences()) == []


def test_deleting_an_entry_recounts_its_households(world, year_open):
    h1, h2, _ = (h.pk for h in world.households[VILLAGE])
    first = helper(world, "甲", [h1, h2])
    helper(world, "乙", [h1])
    delete_entry(actor=OPERATOR, entry_id=first.pk)
    assert stored() == {h1: 1}
    assert list(helper_count_differences()) == []


def test_a_refused_write_leaves_the_counts_as_they_were(world, year_open):
    h1, h2, _ = (h.pk for h in world.households[VILLAGE])
    entry = helper(world, "甲", [h1])
    entry.refresh_from_db()
    with pytest.raises(Exception):  # noqa: B017 - a stale version: Conflict, nothing written
        update_entry(actor=OPERATOR, entry_id=entry.pk, expected_version=entry.version - 1, household_ids=[h2],
                     duties=entry.duties, goal="", goal_kind="", stationed_post="")
    assert stored() == {h1: 1}


def test_counts_are_per_year(world, year_open):
    from wuzaicun.responsibility.services import open_year

    h1 = world.households[VILLAGE][0].pk
    open_year(actor=OPERATOR, year=YEAR + 1)
    helper(world, "甲", [h1])
    helper(world, "乙", [h1], year=YEAR + 1)
    assert stored() == {h1: 1} and stored(YEAR + 1) == {h1: 1}


def test_the_assignments_import_keeps_the_counts(world, year_open, tmp_path):
    h1, h2, h3 = world.households[VILLAGE]
    members = [factories.person(world.regions[VILLAGE], name=f"党员{i}", rank="农村党员") for i in range(3)]
    path = tmp_path / "a.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["年度", "清单类型", "责任人身份证号", "区划代码", "帮扶户身份证号", "职责"])
        for i, member in enumerate(members):
            homes = [h1, h2, h3][: i + 1]
            writer.writerow([YEAR, "助村", member.reveal_resident_id(), VILLAGE,
                             "、".join(h.reveal_resident_id() for h in homes), "走访"])
    report = import_file(actor=world.users["county_a"], kind="assignments", path=path, year=YEAR)
    assert report.ok, report.issues
    assert stored() == {h1.pk: 3, h2.pk: 2, h3.pk: 1}
    assert list(helper_count_differences()) == []


def test_a_helper_leaving_the_party_no_longer_counts_and_counts_again_on_return(world, year_open, tmp_path):
    h1, h2, _ = (h.pk for h in world.households[VILLAGE])
    entry = helper(world, "甲", [h1, h2])
    helper(world, "乙", [h1])
    person = Person.objects_unscoped.get(pk=entry.person_id)
    people_import(tmp_path, [person], "群众")
    assert stored() == {h1: 1}
    people_import(tmp_path, [person], "中共预备党员")  # still a party member for the rule
    assert stored() == {h1: 2, h2: 1}
    people_import(tmp_path, [person], "中共党员")  # member to member: nothing to recount
    assert stored() == {h1: 2, h2: 1}
    assert list(helper_count_differences()) == []


def test_counts_stay_right_through_a_random_sequence_of_writes(world, year_open, tmp_path):
    """Entries created, changed and deleted and helpers leaving and rejoining the party, in a seeded random order;
    after every step the stored counts equal a recount from the links."""
    rng = random.Random(2016)
    homes = [h.pk for h in world.households[VILLAGE]] + [
        factories.household(world.regions[VILLAGE]).pk for _ in range(5)]
    entries: list[Assignment] = []
    seen: set[str] = set()
    for step in range(40):
        action = rng.choice(("create", "create", "update", "update", "delete", "party"))
        seen.add(action)
        if action == "create" or not entries:
            entries.append(helper(world, f"党员{step}", rng.sample(homes, rng.randint(1, 4))))
        elif action == "update":
            entry = rng.choice(entries)
            if Person.objects_unscoped.get(pk=entry.person_id).is_party_member:
                set_households(entry, rng.sample(homes, rng.randint(1, 5)))
            else:  # a 助村 entry of someone who left the party cannot be changed (its counts stay right)
                with pytest.raises(DomainError, match="须为党员"):
                    set_households(entry, rng.sample(homes, rng.randint(1, 5)))
        elif action == "delete":
            entry = entries.pop(rng.randrange(len(entries)))
            delete_entry(actor=OPERATOR, entry_id=entry.pk)
        else:
            person = Person.objects_unscoped.get(pk=rng.choice(entries).person_id)
            people_import(tmp_path, [person], "群众" if person.is_party_member else "中共党员")
        assert list(helper_count_differences()) == [], (step, action)
    assert seen == {"create", "update", "delete", "party"} and stored()  # every kind of write, counts left


def test_the_command_checks_and_rebuilds_the_counts(world, year_open):
    h1, h2, _ = (h.pk for h in world.households[VILLAGE])
    helper(world, "甲", [h1, h2])
    out = io.StringIO()
    call_command("coverage", "--check-counts", stdout=out)
    assert "一致" in out.getvalue()
    HouseholdHelpers.objects_unscoped.filter(household_id=h1).update(helpers=7)  # damaged outside the services
    AssignmentHousehold.objects_unscoped.filter(household_id=h2).delete()
    with pytest.raises(CommandError, match="2 处"):
        call_command("coverage", "--check-counts", "--year", str(YEAR), stdout=io.StringIO())
    call_command("coverage", "--rebuild-counts", stdout=io.StringIO())
    assert stored() == {h1: 1} and list(helper_count_differences()) == []
    assert AuditEntry.objects_unscoped.filter(object_type="household_helpers").count() == 1


def test_rebuilding_needs_the_rules_permission(world, year_open):
    from wuzaicun.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        rebuild_helper_counts(actor=world.users["county_a"])


def test_editing_a_person_out_of_the_party_on_the_page_recounts_their_households(world, year_open):
    from wuzaicun.registry.services import update_person
    from wuzaicun.responsibility.services.helper_counts import helper_count_differences

    h1, h2, _ = (h.pk for h in world.households[VILLAGE])
    entry = helper(world, "丙", [h1, h2])
    person = Person.objects_unscoped.get(pk=entry.person_id)
    assert stored() == {h1: 1, h2: 1}
    edited = update_person(actor=world.users["county_a"], person_id=person.pk, expected_version=person.version,
                           region_code=person.region_id, name=person.name, sex=person.sex, ethnicity=person.ethnicity,
                           political_status="群众", post=person.post, rank=person.rank)
    assert stored() == {} and list(helper_count_differences()) == []
    update_person(actor=world.users["county_a"], person_id=person.pk, expected_version=edited.version,
                  region_code=person.region_id, name=person.name, sex=person.sex, ethnicity=person.ethnicity,
                  political_status="中共党员", post=person.post, rank=person.rank)
    assert stored() == {h1: 1, h2: 1}
