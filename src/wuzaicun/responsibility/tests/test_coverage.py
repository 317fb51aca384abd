"""Each coverage rule finds a planted gap and passes a complete case; scope both ways; the command's JSON."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from wuzaicun.core.operator import OPERATOR
from wuzaicun.regions.models import VillageYear
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.models import Assignment, AssignmentHousehold
from wuzaicun.responsibility.services import create_entry, update_entry, update_rule
from wuzaicun.testing import factories
from wuzaicun.testing.lists import OTHER_POOR_VILLAGE, VILLAGE, YEAR, cover_village


def drop_household(entry: Assignment, household_id: int) -> None:
    kept = AssignmentHousehold.objects_unscoped.filter(assignment=entry).exclude(household_id=household_id)
    update_entry(actor=OPERATOR, entry_id=entry.pk, expected_version=entry.version,
                 household_ids=list(kept.values_list("household_id", flat=True)), duties=entry.duties,
                 goal=entry.goal, goal_kind=entry.goal_kind, stationed_post=entry.stationed_post)


def gaps(rule: str, user=OPERATOR, region: str | None = "520302000000"):
    report = coverage_report(user, year=YEAR, region=region)
    return [g for g in report.gaps if g.rule == rule], report.summary.get(rule)


@pytest.mark.parametrize(("rule", "kind"), [("village_bangcun", "team"), ("village_liancun", "leader"),
                                            ("village_zhucun", "stationed")])
def test_a_poor_village_missing_a_list_is_a_gap(world, year_open, rule, kind):
    made = cover_village(world, VILLAGE)
    assert gaps(rule)[0] == []
    made[kind].delete()
    found, summary = gaps(rule)
    assert [(g.subject_type, g.subject_id, g.region_code) for g in found] == [("village", VILLAGE, VILLAGE)]
    assert "甲村" in found[0].message and summary == {"checked": 1, "gaps": 1}


def test_a_village_that_is_not_poor_needs_no_lists(world, year_open):
    cover_village(world, VILLAGE)
    VillageYear.objects_unscoped.filter(village_id=VILLAGE).update(is_poor=False)
    assert gaps("village_bangcun") == ([], {"checked": 0, "gaps": 0})


def test_a_poor_household_with_fewer_than_three_party_helpers_is_a_gap(world, year_open):
    helper = cover_village(world, VILLAGE, helpers=3)["helper0"]
    assert gaps("household_helpers_min3", region=VILLAGE)[0] == []
    household = world.households[VILLAGE][0]
    drop_household(helper, household.pk)  # through the service, which keeps the counts (D23)
    found, summary = gaps("household_helpers_min3", region=VILLAGE)
    assert [g.subject_id for g in found] == [str(household.pk)]
    assert "2 名党员干部" in found[0].message and household.resident_id_masked in found[0].message
    assert household.reveal_resident_id() not in found[0].message
    assert summary == {"checked": 3, "gaps": 1}


def test_a_household_with_no_helper_at_all_is_a_gap_and_exited_households_are_not(world, year_open):
    found, summary = gaps("household_helpers_min3")
    assert len(found) == summary["checked"] == 6  # every poor household of county A
    world.households[VILLAGE][0].__class__.objects_unscoped.filter(region_id=VILLAGE).update(
        status="已脱贫", exit_year=2016)
    assert gaps("household_helpers_min3")[1]["checked"] == 3


def test_the_threshold_is_configurable_and_a_disabled_rule_is_not_checked(world, year_open):
    cover_village(world, VILLAGE, helpers=3)
    assert gaps("household_helpers_min3", region=VILLAGE)[0] == []
    update_rule(actor=OPERATOR, year=YEAR, code="household_helpers_min3", enabled=True, threshold=4)
    assert len(gaps("household_helpers_min3", region=VILLAGE)[0]) == 3
    update_rule(actor=OPERATOR, year=YEAR, code="household_helpers_min3", enabled=False, threshold=4)
    assert gaps("household_helpers_min3") == ([], None)


def _city_leader(world, post="市委常委"):
    return factories.person(world.regions["520300000000"], name="市领导甲", rank="市级领导", post=post)


def test_a_city_leader_must_pack_exactly_one_poor_village_that_exits_and_is_a_demonstration(world, year_open):
    leader = _city_leader(world)
    found, _ = gaps("city_leader_one_village", region=None)
    assert [g.subject_id for g in found] == [str(leader.pk)] and "0 个" in found[0].message
    create_entry(actor=OPERATOR, year=YEAR, kind="leader", village_code=VILLAGE, person_id=leader.pk, duties=["牵头抓总"])
    found, _ = gaps("city_leader_one_village", region=None)
    assert "未定为2016年出列或不是示范点" in found[0].message
    VillageYear.objects_unscoped.filter(village_id=VILLAGE).update(exit_year=YEAR, demonstration="city")
    assert gaps("city_leader_one_village", region=None)[0] == []
    create_entry(actor=OPERATOR, year=YEAR, kind="leader", village_code=OTHER_POOR_VILLAGE, person_id=leader.pk,
                 duties=["牵头抓总"])
    found, _ = gaps("city_leader_one_village", region=None)
    assert "2 个" in found[0].message


@pytest.mark.parametrize(("rule", "rank", "needed"), [("county_leader_min2_households", "县处级", 2),
                                                       ("township_leader_min1_household", "乡科级", 1)])
def test_leaders_must_help_enough_poor_households(world, year_open, rule, rank, needed):
    region = world.regions[VILLAGE]
    leader = factories.person(region, name="领导乙", rank=rank)
    households = [h.pk for h in world.households[VILLAGE]]
    create_entry(actor=OPERATOR, year=YEAR, kind="leader", village_code=VILLAGE, person_id=leader.pk,
                 household_ids=households[: needed - 1], duties=["结对帮扶"])
    assert str(leader.pk) in [g.subject_id for g in gaps(rule)[0]]
    Assignment.objects_unscoped.filter(person=leader).delete()
    create_entry(actor=OPERATOR, year=YEAR, kind="leader", village_code=VILLAGE, person_id=leader.pk,
                 household_ids=households[:needed], duties=["结对帮扶"])
    assert str(leader.pk) not in [g.subject_id for g in gaps(rule)[0]]


def test_a_stationed_entry_needs_an_industry_or_entity_goal(world, year_open):
    made = cover_village(world, VILLAGE)
    assert gaps("zhucun_goal_industry")[0] == []
    Assignment.objects_unscoped.filter(pk=made["stationed"].pk).update(goal_kind="")
    found, summary = gaps("zhucun_goal_industry")
    assert [g.subject_id for g in found] == [str(made["stationed"].pk)] and summary["checked"] == 1


def test_an_entry_without_duties_is_a_gap(world, year_open):
    made = cover_village(world, VILLAGE)
    assert gaps("assignment_duties")[0] == []
    Assignment.objects_unscoped.filter(pk=made["team"].pk).update(duties=[])
    assert [g.subject_id for g in gaps("assignment_duties")[0]] == [str(made["team"].pk)]


def test_an_entry_added_after_the_due_date_is_a_gap(world, year_open):
    made = cover_village(world, VILLAGE)
    assert gaps("list_due_date")[0] == []
    from wuzaicun.responsibility.models import ResponsibilityYear

    ResponsibilityYear.objects_unscoped.filter(year=YEAR).update(due_date="2016-03-01")
    found, summary = gaps("list_due_date")
    assert len(found) == summary["checked"] == len(made)


def test_coverage_is_scoped_both_ways(world, year_open):
    county_a, county_b = world.users["county_a"], world.users["county_b"]
    report_a = coverage_report(county_a, year=YEAR)
    report_b = coverage_report(county_b, year=YEAR)
    villages_a = {g.subject_id for g in report_a.gaps if g.subject_type == "village"}
    villages_b = {g.subject_id for g in report_b.gaps if g.subject_type == "village"}
    assert villages_a == {VILLAGE} and villages_b == {OTHER_POOR_VILLAGE}
    assert all(g.region_code.startswith("520302") for g in report_a.gaps)
    assert all(g.region_code.startswith("520303") for g in report_b.gaps)


def test_the_command_prints_the_documented_json(world, year_open):
    cover_village(world, VILLAGE)
    out = io.StringIO()
    call_command("coverage", "--year", str(YEAR), "--region", "520302", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["year"] == YEAR and document["region"] == "520302000000"
    assert set(document["summary"]) >= {"village_bangcun", "household_helpers_min3", "list_due_date"}
    assert document["summary"]["village_bangcun"] == {"checked": 1, "gaps": 0}
    for gap in document["gaps"]:
        assert set(gap) == {"rule", "subject_type", "subject_id", "region_code", "message"}
        assert gap["region_code"].startswith("520302")


def test_the_number_of_queries_does_not_grow_with_the_data(world, year_open, django_assert_max_num_queries):
    cover_village(world, VILLAGE)
    # a bound for the whole report, rules other mechanisms register included (2–4 queries each); what matters is
    # that the second run, with more data, makes no more queries than the first
    with django_assert_max_num_queries(60) as small:
        coverage_report(OPERATOR, year=YEAR)
    for code in ("520302001002", OTHER_POOR_VILLAGE, "520303100202"):
        VillageYear.objects_unscoped.filter(village_id=code).update(is_poor=True)
        cover_village(world, code)
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = coverage_report(OPERATOR, year=YEAR)
    assert report.summary["village_bangcun"]["checked"] == 4


def test_a_county_with_fewer_than_two_demonstration_sites_is_a_gap(world, year_open):
    found, summary = gaps("county_demonstration_min2", region="520300000000")
    assert {g.subject_id for g in found} == {"520302000000", "520303000000"} and summary["checked"] == 2
    VillageYear.objects_unscoped.filter(village_id__in=["520302001001", "520302001002"]).update(demonstration="county")
    found, _ = gaps("county_demonstration_min2", region="520300000000")
    assert [g.subject_id for g in found] == ["520303000000"] and "0 个" in found[0].message


def test_a_gap_links_only_to_a_page_the_reader_may_open(world, year_open):
    from wuzaicun.responsibility.coverage import gap_rows

    made = cover_village(world, VILLAGE)
    Assignment.objects_unscoped.filter(pk=made["team"].pk).update(duties=[])
    found, _ = gaps("assignment_duties")
    assert gap_rows(found, year=YEAR, user=world.users["county_a"])[0]["url"].endswith("/edit/")
    assert gap_rows(found, year=YEAR, user=world.users["reporter_a"])[0]["url"] == ""
