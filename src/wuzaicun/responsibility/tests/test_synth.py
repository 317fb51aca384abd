"""synth builds a year of the five lists with a realistic few per cent of gaps."""

import io

from django.core.management import call_command

from wuzaicun.core.operator import OPERATOR
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.models import Assignment, AssignmentHousehold, HouseholdHelpers, LedgerLine
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


def test_the_visits_are_written_in_batches_while_the_pairs_are_read(db, monkeypatch):
    """The ledger's visits (山东: 7.8 M) are drawn from the helper pairs as they are read and written a batch at a
    time, not held as one list: every batch at most INSERT_BATCH rows, each visit a helper pair's, none twice."""
    from wuzaicun.core import synth as core_synth
    from wuzaicun.responsibility.models import Visit
    from wuzaicun.tabular import bulk

    monkeypatch.setattr(core_synth, "INSERT_BATCH", 500)
    batches: list[int] = []
    real = bulk.insert_rows

    def counted(table, columns, rows):
        if table == Visit._meta.db_table:
            batches.append(len(rows))
        return real(table, columns, rows)

    monkeypatch.setattr(bulk, "insert_rows", counted)
    call_command("synth", "--scale", "city", "--prefix", "520302", "--seed", "7", "--year", "2016",
                 stderr=io.StringIO())

    pairs = set(AssignmentHousehold.objects_unscoped.filter(assignment__kind="helper", assignment__year=2016)
                .values_list("assignment__person_id", "household_id"))
    visits = list(Visit.objects_unscoped.values_list("person_id", "household_id"))
    assert len(batches) > 2 and max(batches) == 500 and sum(batches) == len(visits)
    assert set(visits) <= pairs and len(set(visits)) == len(visits)
    assert 0.8 * len(pairs) < len(visits) < 0.9 * len(pairs)
    # the ledger lines keep their entries' villages (D50)
    lines = list(LedgerLine.objects_unscoped.values_list("village_id", "assignment__village_id"))
    assert len({v for v, _ in lines}) > 10 and all(v == e for v, e in lines)
