"""Writes of the orgs area: the tree's rules, membership checked by name, scope both ways, audit rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from wuzaicun.organization.models.orgs import (
    CommitteeDuty,
    Membership,
    PartyOrganisation,
    ServiceRecord,
    SupervisoryCommittee,
)
from wuzaicun.organization.rules.orgs import COMMITTEE_DUTIES
from wuzaicun.organization.selectors.orgs import (
    organisation_tree,
    service_counts,
    village_organisations,
    villages_without_committee,
)
from wuzaicun.organization.services.orgs import (
    add_members,
    create_committee,
    delete_organisation,
    record_duties,
    record_service,
    remove_member,
    save_organisation,
    save_social_org,
    save_station,
    set_committee_members,
)
from wuzaicun.testing import factories

A1, A2, B1 = "520302001001", "520302001002", "520303100201"
TOWNSHIP_A, TOWNSHIP_B = "520302001000", "520303100000"


def org_tree(world: Any, county: str = "a") -> dict[str, PartyOrganisation]:
    """A township 党委 with one village 党支部 under it, in county A (or B), made as the county admin."""
    actor = world.users[f"county_{county}"]
    township, village = (TOWNSHIP_A, A1) if county == "a" else (TOWNSHIP_B, B1)
    top = save_organisation(actor=actor, name=f"中共{world.regions[township].name}委员会", org_type="committee",
                            category="other", region_code=township)
    branch = save_organisation(actor=actor, name=f"中共{world.regions[village].name}支部委员会", org_type="branch",
                               category="village", region_code=village, parent_id=top.pk,
                               secretary_id=world.people[village][0].pk)
    return {"top": top, "branch": branch}


def test_an_organisation_is_created_with_its_secretary_and_audited(world):
    orgs = org_tree(world)
    branch = orgs["branch"]
    assert (branch.parent_id, branch.region_id, branch.secretary_id) == (
        orgs["top"].pk, A1, world.people[A1][0].pk)
    entry = AuditEntry.objects_unscoped.filter(object_type="party_organisation", object_id=str(branch.pk)).get()
    assert entry.action == "create" and entry.region_code == A1 and "支部委员会" in entry.summary


def test_a_secretary_who_is_not_a_party_member_is_refused_by_name(world):
    outsider = factories.person(world.regions[A1], name="赵群众", political_status="群众")
    with pytest.raises(DomainError) as caught:
        save_organisation(actor=world.users["county_a"], name="中共甲村支部委员会", org_type="branch",
                          category="village", region_code=A1, secretary_id=outsider.pk)
    assert "赵群众" in caught.value.message and "不是中共党员" in caught.value.message
    assert not PartyOrganisation.objects_unscoped.exists()


def test_members_must_be_party_members_each_refused_by_name(world):
    branch = org_tree(world)["branch"]
    outsider = factories.person(world.regions[A1], name="钱团员", political_status="共青团员")
    with pytest.raises(DomainError) as caught:
        add_members(actor=world.users["county_a"], org_id=branch.pk,
                    person_ids=[world.people[A1][1].pk, outsider.pk])
    assert "钱团员" in caught.value.message
    assert not Membership.objects_unscoped.exists()  # all or nothing

    added = add_members(actor=world.users["county_a"], org_id=branch.pk, person_ids=[p.pk for p in world.people[A1]])
    assert added == 2
    assert add_members(actor=world.users["county_a"], org_id=branch.pk, person_ids=[world.people[A1][0].pk]) == 0
    remove_member(actor=world.users["county_a"], org_id=branch.pk, person_id=world.people[A1][0].pk)
    assert list(branch.memberships.values_list("person_id", flat=True)) == [world.people[A1][1].pk]


def test_a_member_from_another_county_is_refused_as_not_found(world):
    branch = org_tree(world)["branch"]
    with pytest.raises(DomainError) as caught:
        add_members(actor=world.users["county_a"], org_id=branch.pk, person_ids=[world.people[B1][0].pk])
    assert caught.value.code == "not_found"


def test_a_branch_has_no_children(world):
    branch = org_tree(world)["branch"]
    with pytest.raises(DomainError, match="党支部不能设下级组织"):
        save_organisation(actor=world.users["county_a"], name="甲村第一党小组", org_type="branch", category="village",
                          region_code=A1, parent_id=branch.pk)


def test_an_organisation_with_children_cannot_become_a_branch(world):
    orgs = org_tree(world)
    top = orgs["top"]
    with pytest.raises(DomainError, match="已有下级组织"):
        save_organisation(actor=world.users["county_a"], org_id=top.pk, name=top.name, org_type="branch",
                          category="other", region_code=TOWNSHIP_A)


def test_no_cycles(world):
    orgs = org_tree(world)
    general = save_organisation(actor=world.users["county_a"], name="中共乙村总支部委员会", org_type="general_branch",
                                category="village", region_code=A2, parent_id=orgs["top"].pk)
    top = orgs["top"]
    with pytest.raises(DomainError, match="上级组织"):  # 党委 under a 党总支 (and a loop) is refused
        save_organisation(actor=world.users["county_a"], org_id=top.pk, name=top.name, org_type="committee",
                          category="other", region_code=TOWNSHIP_A, parent_id=general.pk)
    county = save_organisation(actor=world.users["county_a"], name="中共红花岗区委员会", org_type="committee",
                               category="other", region_code="520302000000")
    save_organisation(actor=world.users["county_a"], org_id=top.pk, name=top.name, org_type="committee",
                      category="other", region_code=TOWNSHIP_A, parent_id=county.pk, expected_version=1)
    with pytest.raises(DomainError, match="上级组织须在本组织所属区划或其上级区划"):
        save_organisation(actor=world.users["county_a"], org_id=county.pk, name=county.name, org_type="committee",
                          category="other", region_code="520302000000", parent_id=top.pk)
    park = save_organisation(actor=world.users["county_a"], name="中共红花岗区工业园区委员会", org_type="committee",
                             category="industrial_park", region_code="520302000000", parent_id=county.pk)
    with pytest.raises(DomainError, match="不能是本组织或其下级组织"):
        save_organisation(actor=world.users["county_a"], org_id=county.pk, name=county.name, org_type="committee",
                          category="other", region_code="520302000000", parent_id=park.pk)
    with pytest.raises(DomainError, match="不能是本组织或其下级组织"):
        save_organisation(actor=world.users["county_a"], org_id=county.pk, name=county.name, org_type="committee",
                          category="other", region_code="520302000000", parent_id=county.pk)


def test_the_parent_must_be_in_scope_and_above_the_organisation(world):
    b = org_tree(world, "b")
    with pytest.raises(DomainError, match="上级组织不存在或不在您的管辖范围内"):
        save_organisation(actor=world.users["county_a"], name="中共甲村支部委员会", org_type="branch",
                          category="village", region_code=A1, parent_id=b["top"].pk)
    general = save_organisation(actor=world.users["county_a"], name="中共甲村总支部委员会", org_type="general_branch",
                                category="village", region_code=A1)
    with pytest.raises(DomainError, match="上级组织须在本组织所属区划或其上级区划"):
        save_organisation(actor=world.users["county_a"], name="中共乙村支部委员会", org_type="branch",
                          category="village", region_code=A2, parent_id=general.pk)


def test_a_region_out_of_scope_is_refused_and_nothing_written(world):
    with pytest.raises(DomainError, match="不存在或不在您的管辖范围内"):
        save_organisation(actor=world.users["county_a"], name="中共丙村支部委员会", org_type="branch",
                          category="village", region_code=B1)
    assert not PartyOrganisation.objects_unscoped.exists()


def test_a_role_without_the_permission_is_refused(world):
    with pytest.raises(PermissionDenied):
        save_organisation(actor=world.users["leader_a"], name="中共甲村支部委员会", org_type="branch",
                          category="village", region_code=A1)


def test_a_village_reporter_keeps_its_own_village_organisation(world):
    org = save_organisation(actor=world.users["reporter_a"], name="中共甲村支部委员会", org_type="branch",
                            category="village", region_code=A1)
    assert org.pk
    with pytest.raises(DomainError):
        save_organisation(actor=world.users["reporter_a"], name="中共乙村支部委员会", org_type="branch",
                          category="village", region_code=A2)


def test_a_stale_version_is_a_conflict_and_duplicates_are_refused(world):
    branch = org_tree(world)["branch"]
    save_organisation(actor=world.users["county_a"], org_id=branch.pk, expected_version=1, name=branch.name,
                      org_type="general_branch", category="village", region_code=A1)
    with pytest.raises(Conflict):
        save_organisation(actor=world.users["county_a"], org_id=branch.pk, expected_version=1, name=branch.name,
                          org_type="branch", category="village", region_code=A1)
    with pytest.raises(DomainError, match="已有名为"):
        save_organisation(actor=world.users["county_a"], name=branch.name, org_type="branch", category="village",
                          region_code=A1)


def test_an_ecommerce_branch_needs_its_product(world):
    with pytest.raises(DomainError, match="特色产品"):
        save_organisation(actor=world.users["county_a"], name="中共甲村电商党支部", org_type="branch",
                          category="ecommerce", region_code=A1)
    org = save_organisation(actor=world.users["county_a"], name="中共甲村辣椒电商支部委员会", org_type="branch",
                            category="ecommerce", product="辣椒", region_code=A1)
    assert org.product == "辣椒"


def test_deleting_an_organisation_with_children_is_refused(world):
    orgs = org_tree(world)
    with pytest.raises(DomainError, match="还有下级组织"):
        delete_organisation(actor=world.users["county_a"], org_id=orgs["top"].pk)
    delete_organisation(actor=world.users["county_a"], org_id=orgs["branch"].pk)
    assert not PartyOrganisation.objects_unscoped.filter(pk=orgs["branch"].pk).exists()


def test_the_tree_shows_parents_and_children_in_scope(world):
    orgs = org_tree(world)
    tree = organisation_tree(world.users["county_a"], orgs["branch"])
    assert [o.pk for o in tree.ancestors] == [orgs["top"].pk]
    tree = organisation_tree(world.users["county_a"], orgs["top"])
    assert [o.pk for o in tree.children] == [orgs["branch"].pk]
    tree = organisation_tree(world.users["reporter_a"], orgs["branch"])
    assert tree.ancestors == []  # the township's 党委 is above a village reporter's scope


def test_village_organisations_in_one_query_scoped_both_ways(world):
    a, b = org_tree(world, "a"), org_tree(world, "b")
    with CaptureQueriesContext(connection) as queries:
        found = village_organisations(world.users["county_a"], [A1, A2, B1])
    assert len(queries) == 1
    assert {code: org.pk for code, org in found.items()} == {A1: a["branch"].pk}
    found = village_organisations(world.users["county_b"], [A1, B1])
    assert {code: org.pk for code, org in found.items()} == {B1: b["branch"].pk}
    assert village_organisations(world.users["city"], [A1, B1]).keys() == {A1, B1}


# --- committees -------------------------------------------------------------------------------------------

def test_a_committee_with_a_chair_and_members_then_its_duties(world):
    people = world.people[A1]
    committee = create_committee(actor=world.users["county_a"], village_code=A1, founded_on=dt.date(2015, 3, 1),
                                 members=[(people[0].pk, "chair"), (people[1].pk, "member")])
    assert sorted(committee.members.values_list("post", flat=True)) == ["chair", "member"]
    done = record_duties(actor=world.users["county_a"], committee_id=committee.pk, year=2016,
                         done=list(COMMITTEE_DUTIES[:3]))
    assert done == 3
    assert CommitteeDuty.objects_unscoped.filter(committee=committee, year=2016).count() == len(COMMITTEE_DUTIES)
    assert CommitteeDuty.objects_unscoped.filter(committee=committee, year=2016, done=True).count() == 3
    record_duties(actor=world.users["county_a"], committee_id=committee.pk, year=2016, done=[])
    assert not CommitteeDuty.objects_unscoped.filter(committee=committee, done=True).exists()
    assert AuditEntry.objects_unscoped.filter(object_type="supervisory_committee").count() == 3


def test_committee_rules(world):
    people = world.people[A1]
    with pytest.raises(DomainError, match="只能有一名主任"):
        create_committee(actor=world.users["county_a"], village_code=A1,
                         members=[(people[0].pk, "chair"), (people[1].pk, "chair")])
    with pytest.raises(DomainError, match="不是村（社区）"):
        create_committee(actor=world.users["county_a"], village_code=TOWNSHIP_A)
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        create_committee(actor=world.users["county_a"], village_code=B1)
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        create_committee(actor=world.users["county_a"], village_code=A1, members=[(world.people[B1][0].pk, "member")])
    committee = create_committee(actor=world.users["county_a"], village_code=A1)
    with pytest.raises(DomainError, match="已有村务监督委员会"):
        create_committee(actor=world.users["county_a"], village_code=A1)
    with pytest.raises(DomainError, match="不是村务监督委员会的标准职责"):
        record_duties(actor=world.users["county_a"], committee_id=committee.pk, year=2016, done=["喝茶"])
    with pytest.raises(NotFound):
        record_duties(actor=world.users["county_b"], committee_id=committee.pk, year=2016, done=[])
    set_committee_members(actor=world.users["county_a"], committee_id=committee.pk,
                          members=[(people[1].pk, "chair")], expected_version=1)
    assert list(committee.members.values_list("person_id", "post")) == [(people[1].pk, "chair")]


def test_villages_without_a_committee_scoped_both_ways(world):
    create_committee(actor=world.users["county_a"], village_code=A1)
    assert list(villages_without_committee(world.users["county_a"]).values_list("code", flat=True)) == [A2]
    assert list(villages_without_committee(world.users["county_b"]).values_list("code", flat=True)) == [
        B1, "520303100202"]
    assert SupervisoryCommittee.objects_unscoped.count() == 1


# --- social organisations, stations, services -------------------------------------------------------------

def test_services_to_poor_households_are_counted_per_year(world):
    actor = world.users["county_a"]
    coop = save_social_org(actor=actor, name="甲村茶叶专业合作社", kind="cooperative", region_code=A1)
    station = save_station(actor=actor, name="甲村电商服务站", region_code=A1, operator="村集体经济合作社")
    homes = world.households[A1]
    record_service(actor=actor, social_org_id=coop.pk, household_id=homes[0].pk, kind="training",
                   served_on=dt.date(2016, 4, 1))
    record_service(actor=actor, station_id=station.pk, household_id=homes[0].pk, kind="market",
                   served_on=dt.date(2016, 5, 1))
    record_service(actor=actor, station_id=station.pk, household_id=homes[1].pk, kind="skills",
                   served_on=dt.date(2015, 5, 1))
    counts = service_counts(actor, year=2016)
    assert (counts.total, counts.households, counts.social_org_services, counts.station_services) == (2, 1, 1, 1)
    assert counts.by_kind == {"training": 1, "market": 1}
    assert service_counts(world.users["county_b"], year=2016).total == 0


def test_a_service_names_one_provider_and_a_household_in_scope(world):
    actor = world.users["county_a"]
    coop = save_social_org(actor=actor, name="甲村茶叶专业合作社", kind="cooperative", region_code=A1)
    station = save_station(actor=actor, name="甲村电商服务站", region_code=A1)
    with pytest.raises(DomainError, match="二选一"):
        record_service(actor=actor, social_org_id=coop.pk, station_id=station.pk,
                       household_id=world.households[A1][0].pk, kind="training", served_on=dt.date(2016, 4, 1))
    with pytest.raises(DomainError, match="所选农户不存在或不在您的管辖范围内"):
        record_service(actor=actor, social_org_id=coop.pk, household_id=world.households[B1][0].pk,
                       kind="training", served_on=dt.date(2016, 4, 1))
    with pytest.raises(DomainError, match="服务类型"):
        record_service(actor=actor, social_org_id=coop.pk, household_id=world.households[A1][0].pk,
                       kind="旅游", served_on=dt.date(2016, 4, 1))
    with pytest.raises(NotFound):
        record_service(actor=world.users["county_b"], social_org_id=coop.pk,
                       household_id=world.households[B1][0].pk, kind="training", served_on=dt.date(2016, 4, 1))
    assert not ServiceRecord.objects_unscoped.exists()
    with pytest.raises(DomainError, match="类型"):
        save_social_org(actor=actor, name="某组织", kind="party", region_code=A1)
