"""synth builds a year of the five lists with a realistic few per cent of gaps."""

import io

from django.core.management import call_command

from wuzaicun.core.operator import OPERATOR
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.models import Assignment, AssignmentHousehold, HouseholdHelpers
from wuzaicun.responsibility.services import helper_count_differences


def test_synth_builds_the_lists_with_a_few_gaps(db):
    call_command("synth", "--scale", "city", "--prefix", "520302", "--seed", "7", "--year", "2016",
                 stderr=io.StringIO())
    assert set(Assignment.objects_unscoped.values_list("kind", flat=True)) == {
        "team", "leader", "stationed", "helper", "group_head"}
    assert AssignmentHousehold.objects_unscoped.count() > 3 * Assignment.objects_unscoped.filter(kind="helper").count() / 2
    assert HouseholdHelpers.objects_unscoped.exists() and list(helper_count_differences()) == []  # kept (D23)
    summary = coverage_report(OPERATOR, year=2016, region="520302000000").summary
    households = summary["household_helpers_min3"]
    assert households["checked"] > 1000 and 0 < households["gaps"] < households["checked"] * 0.1
    for rule in ("village_bangcun", "village_liancun", "village_zhucun", "zhucun_goal_industry", "list_due_date"):
        assert summary[rule]["checked"] > 0 and summary[rule]["gaps"] < summary[rule]["checked"] * 0.2, rule
    heads = summary["daicun_group_head"]  # checked against real 十户一体 groups (the resources app's synth)
    assert heads["checked"] > 0 and 0 < heads["gaps"] < heads["checked"] * 0.1
    assert summary["list_due_date"]["gaps"] > 0
