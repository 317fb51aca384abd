"""Every list exports its filtered set through the one engine: coverage gaps by rule, the review queue, a
plan's picks (secret ones only for those who may see them)."""

import io

import pytest
from openpyxl import load_workbook

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import NotFound
from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.spec import ExportContext
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village
from wuzaicun.verification.services import close_plan, draw_spot_check_plan


def _rows(kind, ctx):
    target = io.BytesIO()
    export_to_xlsx(get_template(kind), ctx, target)
    target.seek(0)
    return [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]


def test_the_coverage_page_exports_its_gaps_as_filtered(world, year_open, client_for):
    user = world.users["county_a"]
    gaps = coverage_report(user, year=YEAR, region=None).gaps
    helpers = [g for g in gaps if g.rule == "household_helpers_min3"]
    assert helpers and len(helpers) < len(gaps)
    rows = _rows("coverage_gaps", ExportContext(actor=user, year=YEAR, filters={"rule": "household_helpers_min3"}))
    assert len(rows) == len(helpers) + 1 and rows[0][:3] == ["年度", "规则", "对象"]
    assert {r[2] for r in rows[1:]} == {"贫困户"}
    everything = _rows("coverage_gaps", ExportContext(actor=user, year=YEAR))
    assert len(everything) == len(gaps) + 1
    form = client_for("county_a").get("/imports/coverage_gaps/export/", {"year": YEAR, "rule": "household_helpers_min3"})
    assert 'name="rule" value="household_helpers_min3"' in form.text
    response = client_for("county_a").post("/imports/coverage_gaps/export/",
                                           {"year": YEAR, "region": "", "rule": "household_helpers_min3"})
    assert response.status_code == 200
    audit = AuditEntry.objects_unscoped.filter(action="export", object_type="coverage").latest("id")
    assert audit.changes["rule"] == "household_helpers_min3" and audit.changes["rows"] == len(helpers)


def test_a_plans_picks_export_only_for_those_who_may_see_them(world, year_open):
    cover_village(world, VILLAGE)
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000")
    owner = _rows("spot_check_picks", ExportContext(actor=world.users["county_a"], filters={"plan": str(plan.pk)}))
    assert len(owner) == plan.pick_count + 1 and owner[1][2].endswith("·红花岗区")
    with pytest.raises(NotFound):
        _rows("spot_check_picks", ExportContext(actor=world.users["leader_a"], filters={"plan": str(plan.pk)}))
    with pytest.raises(NotFound):
        _rows("spot_check_picks", ExportContext(actor=world.users["county_b"], filters={"plan": str(plan.pk)}))
    close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    helpers = _rows("spot_check_picks", ExportContext(actor=world.users["leader_a"],
                                                      filters={"plan": str(plan.pk), "stratum": "helper:520302"}))
    assert len(helpers) == 2 and helpers[1][3] == "助村"
