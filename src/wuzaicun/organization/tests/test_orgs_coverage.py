"""Coverage code `village_supervisory_committee`: every village in scope has a 村务监督委员会."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wuzaicun.core.operator import OPERATOR
from wuzaicun.organization.coverage.orgs import CODE, _villages_without_committee
from wuzaicun.organization.services.orgs import create_committee
from wuzaicun.responsibility.coverage import coverage_report, gap_rows

from .test_orgs_services import A1, A2, B1


def check(user, region=None):
    checked, gaps = _villages_without_committee(user, 2016, region, None, None)
    return checked, [g.subject_id for g in gaps]


def test_villages_without_a_committee_are_gaps_in_scope_both_ways(world):
    create_committee(actor=world.users["county_a"], village_code=A1)
    assert check(world.users["county_a"]) == (2, [A2])
    assert check(world.users["county_b"]) == (2, [B1, "520303100202"])
    assert check(world.users["reporter_a"]) == (1, [])
    assert check(OPERATOR, "520302000000") == (2, [A2])
    for code in (A2, B1, "520303100202"):
        create_committee(actor=OPERATOR, village_code=code)
    assert check(world.users["city"]) == (4, [])


def test_the_rule_is_in_the_report_command_and_page_rows(world, year_open):
    report = coverage_report(world.users["county_a"], year=year_open)
    assert report.summary[CODE] == {"checked": 2, "gaps": 2}
    rows = gap_rows([g for g in report.gaps if g.rule == CODE], year=year_open)
    assert rows[0]["rule"] == "每个村都建立村务监督委员会" and rows[0]["subject"] == "村"
    assert "tab=without" in rows[0]["url"] and "未建立村务监督委员会" in rows[0]["message"]
    out = io.StringIO()
    call_command("coverage", "--year", str(year_open), "--region", "520303", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["summary"][CODE] == {"checked": 2, "gaps": 2}
    gap = next(g for g in document["gaps"] if g["rule"] == CODE)
    assert set(gap) == {"rule", "subject_type", "subject_id", "region_code", "message"}
    assert gap["region_code"].startswith("520303")


def test_the_check_costs_the_same_queries_for_more_villages(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _checked, gaps = _villages_without_committee(OPERATOR, 2016, None, None, None)
            list(gaps)
        return len(captured)

    few = queries()
    create_committee(actor=OPERATOR, village_code=A1)
    create_committee(actor=OPERATOR, village_code=B1)
    assert queries() == few == 2


def test_the_committee_duties_indicator(world):
    from wuzaicun.organization.indicators.orgs import committee_duties_done
    from wuzaicun.organization.rules.orgs import COMMITTEE_DUTIES
    from wuzaicun.organization.services.orgs import record_duties

    committee = create_committee(actor=OPERATOR, village_code=A1)
    record_duties(actor=OPERATOR, committee_id=committee.pk, year=2016, done=COMMITTEE_DUTIES[:4])
    scores = committee_duties_done(2016, [A1, A2, "520302001000", B1], 5)
    assert [scores[A1], scores[A2], scores[B1]] == [Decimal(50), Decimal(0), Decimal(0)]
    township = committee_duties_done(2016, ["520302001000"], 4)
    assert township["520302001000"] == 25  # 4 of 2 villages × 8 duties
    assert committee_duties_done(2017, [A1], 5)[A1] == 0
