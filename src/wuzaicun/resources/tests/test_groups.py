"""十户一体: groups headed by a party member of the village, members of the village in one group at most, tied
entities; `daicun_group_head` and `group_size` in the coverage report; pages and API in scope both ways."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.core.operator import OPERATOR
from wuzaicun.resources.models import GroupMember, TenHouseholdGroup
from wuzaicun.resources.services.groups import add_entity, add_members, create_group, remove_member
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.services import create_entry, update_rule
from wuzaicun.testing import factories
from wuzaicun.testing.api import api_client
from wuzaicun.testing.lists import open_test_year

A1, A2, B1 = "520302001001", "520302001002", "520303100201"
DAY = dt.date(2016, 5, 1)


def head_of(world: Any, village: str, name: str = "能人") -> Any:
    return factories.person(world.regions[village], name=name, rank="能人党员", political_status="中共党员")


def a_group(world: Any, village: str = A1, county: str = "a", size: int = 3) -> TenHouseholdGroup:
    head = head_of(world, village, f"{world.regions[village].name}能人")
    return create_group(actor=world.users[f"county_{county}"], village_code=village, name=f"{head.name}党群连心组",
                        head_id=head.pk, formed_on=DAY, household_ids=[h.pk for h in world.households[village][:size]])


def test_a_group_is_formed_with_its_head_and_households_and_audited(world):
    group = a_group(world)
    assert GroupMember.objects_unscoped.filter(group=group).count() == 3
    entry = AuditEntry.objects_unscoped.get(object_type="ten_household_group")
    assert "户长甲村能人" in entry.summary and "3 户" in entry.summary and entry.region_code == A1


@pytest.mark.parametrize(("status", "village", "message"), [
    ("群众", A1, "须为中共党员"),
    ("中共党员", A2, "不是甲村的人员"),
])
def test_a_head_who_is_not_a_party_member_of_the_village_is_refused(world, status, village, message):
    head = factories.person(world.regions[village], name="张三", political_status=status)
    with pytest.raises(DomainError, match=message):
        create_group(actor=world.users["county_a"], village_code=A1, name="张三组", head_id=head.pk, formed_on=DAY)
    assert not TenHouseholdGroup.objects_unscoped.exists()


def test_members_come_from_the_village_and_join_one_group_only(world):
    group = a_group(world, size=1)
    other = world.households[A2][0]
    with pytest.raises(DomainError, match=f"{other.head_name}户不是甲村的农户"):
        add_members(actor=world.users["county_a"], group_id=group.pk, household_ids=[other.pk])
    second = create_group(actor=world.users["county_a"], village_code=A1, name="第二组",
                          head_id=head_of(world, A1, "李四").pk, formed_on=DAY)
    taken = world.households[A1][0]
    with pytest.raises(DomainError, match=f"{taken.head_name}户（已在“{group.name}”）"):
        add_members(actor=world.users["county_a"], group_id=second.pk, household_ids=[taken.pk])
    remove_member(actor=world.users["county_a"], group_id=group.pk, household_id=taken.pk)
    assert add_members(actor=world.users["county_a"], group_id=second.pk, household_ids=[taken.pk]) == 1


def test_an_entity_with_a_bad_credit_code_is_refused(world):
    group = a_group(world)
    with pytest.raises(DomainError):
        add_entity(actor=world.users["county_a"], group_id=group.pk, name="甲村茶叶专业合作社", kind="cooperative",
                   credit_code="123")
    assert add_entity(actor=world.users["county_a"], group_id=group.pk, name="甲村茶叶专业合作社",
                      kind="cooperative").kind == "cooperative"


def test_scope_both_ways(world):
    mine, theirs = a_group(world, A1, "a"), a_group(world, B1, "b")
    with pytest.raises(NotFound):
        add_members(actor=world.users["county_a"], group_id=theirs.pk, household_ids=[world.households[B1][1].pk])
    with pytest.raises(NotFound):
        add_members(actor=world.users["county_b"], group_id=mine.pk, household_ids=[world.households[A1][1].pk])
    with pytest.raises(NotFound):
        create_group(actor=world.users["county_a"], village_code=B1, name="x", head_id=theirs.head_id, formed_on=DAY)


def _gaps(rule: str) -> tuple[list[Any], dict[str, int] | None]:
    report = coverage_report(OPERATOR, year=2016, region="520302000000")
    return [g for g in report.gaps if g.rule == rule], report.summary.get(rule)


def test_daicun_heads_without_a_group_are_gaps_until_they_head_one(world):
    year = open_test_year()
    head = head_of(world, A1, "王能人")
    entry = create_entry(actor=OPERATOR, year=year, kind="group_head", village_code=A1, person_id=head.pk,
                         duties=["带领"])
    found, summary = _gaps("daicun_group_head")
    assert [g.subject_id for g in found] == [str(entry.pk)] and "王能人尚未担任" in found[0].message
    assert summary == {"checked": 1, "gaps": 1}
    create_group(actor=world.users["county_a"], village_code=A1, name="王能人党群连心组", head_id=head.pk,
                 formed_on=DAY)
    assert _gaps("daicun_group_head") == ([], {"checked": 1, "gaps": 0})


def test_a_group_far_from_ten_households_is_a_gap_by_the_years_threshold(world):
    year = open_test_year()
    group = a_group(world, size=3)
    found, _ = _gaps("group_size")
    assert [g.subject_id for g in found] == [str(group.pk)] and "只有 3 户，少于 5 户" in found[0].message
    update_rule(actor=OPERATOR, year=year, code="group_size", enabled=True, threshold=7)
    assert _gaps("group_size") == ([], {"checked": 1, "gaps": 0})


def test_pages_list_each_county_its_own_and_a_group_is_formed_by_form(world, client_for):
    mine, theirs = a_group(world, A1, "a"), a_group(world, B1, "b")
    page = client_for("county_a").get("/resources/groups/")
    assert page.status_code == 200 and "共 1 条" in page.text and mine.name in page.text and theirs.name not in page.text
    assert client_for("county_a").get(f"/resources/groups/{theirs.pk}/").status_code == 404
    far = client_for("county_a").get("/resources/groups/?size=far")
    assert mine.name in far.text  # 3 households
    head = head_of(world, A2, "赵能人")
    posted = client_for("county_a").post("/resources/groups/new/", {
        "village_code": A2, "name": "赵能人党群连心组", "head_id": head.pk, "formed_on": "2016-05-01",
        "household_ids": [h.pk for h in world.households[A2]]})
    made = TenHouseholdGroup.objects_unscoped.get(name="赵能人党群连心组")
    assert posted.status_code == 302 and made.members.count() == 3
    detail = client_for("county_a").get(f"/resources/groups/{made.pk}/")
    assert world.households[A2][0].resident_id_masked in detail.text and "赵能人" in detail.text


def test_the_api_in_scope_both_ways(world):
    mine, theirs = a_group(world, A1, "a"), a_group(world, B1, "b")
    client = api_client("county_a")
    listed = client.get("/api/resources/groups").json()
    assert [g["name"] for g in listed["results"]] == [mine.name] and listed["results"][0]["members"] == 3
    assert client.get(f"/api/resources/groups/{theirs.pk}").status_code == 404
    assert client.post(f"/api/resources/groups/{theirs.pk}/members", json.dumps({"household_ids": [1]}),
                       content_type="application/json").status_code == 404
    added = client.post(f"/api/resources/groups/{mine.pk}/entities",
                        json.dumps({"name": "甲村蛋鸡种养大户", "kind": "grower"}), content_type="application/json")
    assert added.status_code == 201 and added.json()["kind_label"] == "种养大户"
    assert client.delete(f"/api/resources/groups/{mine.pk}").status_code == 204
    assert not TenHouseholdGroup.objects_unscoped.filter(pk=mine.pk).exists()


def test_the_synth_gives_each_head_one_group_even_when_two_heads_share_a_name(world):
    from wuzaicun.core.synth import new_context
    from wuzaicun.resources.synth.groups import generate_groups

    year = open_test_year()
    twins = [head_of(world, A1, "王能人"), head_of(world, A1, "王能人")]
    for head in twins:
        create_entry(actor=OPERATOR, year=year, kind="group_head", village_code=A1, person_id=head.pk,
                     duties=["带领"])
    ctx = new_context(scale="city", seed=2016, year=year, prefix="520302")
    generate_groups(ctx)
    groups = TenHouseholdGroup.objects_unscoped.filter(village_id=A1)
    assert set(groups.values_list("head_id", flat=True)) <= {h.pk for h in twins}
    assert len(set(groups.values_list("name", flat=True))) == groups.count() >= 1
    generate_groups(new_context(scale="city", seed=2016, year=year, prefix="520302"))  # a rerun adds nothing
    assert TenHouseholdGroup.objects_unscoped.filter(village_id=A1).count() == groups.count()


def test_the_synth_draws_the_same_groups_a_slice_of_villages_at_a_time(world, monkeypatch):
    """A province's villages are drawn in slices (memory: a slice's households); the groups, their heads and
    members do not depend on the slice's size."""
    from wuzaicun.core.synth import new_context
    from wuzaicun.resources.models import GroupEntity
    from wuzaicun.resources.synth import groups as synth_groups

    year = open_test_year()
    for village in (A1, A2):
        for i in range(2):
            head = head_of(world, village, f"能人{i}")
            create_entry(actor=OPERATOR, year=year, kind="group_head", village_code=village, person_id=head.pk,
                         duties=["带领"])

    def drawn(at_a_time: int) -> set[tuple[str, str, int, frozenset[int]]]:
        monkeypatch.setattr(synth_groups, "VILLAGES_AT_A_TIME", at_a_time)
        synth_groups.generate_groups(new_context(scale="city", seed=2016, year=year, prefix="520302"))
        out = {(g.village_id, g.name, g.head_id, frozenset(g.members.values_list("household_id", flat=True)))
               for g in TenHouseholdGroup.objects_unscoped.all()}
        GroupEntity.objects_unscoped.all().delete()
        GroupMember.objects_unscoped.all().delete()
        TenHouseholdGroup.objects_unscoped.all().delete()
        return out

    whole, sliced = drawn(1000), drawn(1)
    assert {g[0] for g in whole} == {A1, A2} and any(g[3] for g in whole)
    assert sliced == whole
