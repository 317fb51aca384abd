"""The annual assessment: every village and township scored, weights checked, ranks, grades, confirm and lock."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from wuzaicun.core.errors import DomainError
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village
from wuzaicun.verification.assessment import ensure_scheme, run_assessment, set_status, weight_problems
from wuzaicun.verification.models import AssessmentResult, EnteredScore, Indicator


def test_sibling_weights_must_sum_to_100():
    assert weight_problems([("a", Decimal(60)), ("b", Decimal(40))]) is None
    assert "实为 90" in weight_problems([("a", Decimal(60)), ("b", Decimal(30))])


def test_every_village_and_township_is_assessed_none_skipped(world, year_open):
    cover_village(world, VILLAGE)
    summary = run_assessment(actor=world.users["county_a"], year=YEAR, region_code="520302000000")
    subjects = set(AssessmentResult.objects_unscoped.values_list("subject_id", flat=True))
    assert subjects == {"520302001001", "520302001002", "520302001000"} and summary.assessed == 3
    covered = AssessmentResult.objects_unscoped.get(subject_id=VILLAGE)
    other = AssessmentResult.objects_unscoped.get(subject_id="520302001002")
    # 甲村's households all have three helpers, 乙村's none: the coverage indicator tells them apart.
    assert covered.scores["household_coverage"] == "100.00" and other.scores["household_coverage"] == "0.00"
    assert covered.scores["responsibility"] == "100.00" and other.scores["responsibility"] == "50.00"
    # the other mechanisms differ too (甲村 is poor and has not exited): the higher total ranks first
    higher, lower = sorted([covered, other], key=lambda r: r.total, reverse=True)
    assert higher.total > lower.total and (higher.rank, lower.rank) == (1, 2)
    assert {r.grade for r in AssessmentResult.objects_unscoped.all()} <= {"优", "良", "中", "差"}


def test_entered_scores_count_and_a_bad_tree_is_refused(world, year_open):
    scheme = ensure_scheme(year=YEAR, level=5)
    field = Indicator.objects_unscoped.get(scheme=scheme, code="field_review")
    EnteredScore.objects_unscoped.create(indicator=field, subject=world.regions[VILLAGE], score=Decimal(95))
    run_assessment(actor=world.users["county_a"], year=YEAR, region_code="520302000000")
    assert AssessmentResult.objects_unscoped.get(subject_id=VILLAGE).scores["field_review"] == "95.00"
    Indicator.objects_unscoped.filter(scheme=scheme, code="field_review").update(weight=25)
    with pytest.raises(DomainError, match="权重之和应为 100"):
        run_assessment(actor=world.users["county_a"], year=YEAR, region_code="520302000000")


def test_confirmed_and_locked_results_are_kept(world, year_open):
    county = world.users["county_a"]
    run_assessment(actor=county, year=YEAR, region_code="520302000000")
    assert set_status(actor=county, year=YEAR, region_code="520302000000", to="confirmed") == 3
    assert set_status(actor=county, year=YEAR, region_code="520302000000", to="locked") == 3
    before = list(AssessmentResult.objects_unscoped.values_list("pk", "total"))
    summary = run_assessment(actor=county, year=YEAR, region_code="520302000000")
    assert summary.kept == 3 and summary.assessed == 0
    assert list(AssessmentResult.objects_unscoped.values_list("pk", "total")) == before


def test_the_command_assesses_and_rolls_up_per_county(world, year_open):
    out = io.StringIO()
    call_command("assess", "--year", str(YEAR), "--region", "5203", "--json", stdout=out, stderr=io.StringIO())
    document = json.loads(out.getvalue())
    assert {c["county"] for c in document["counties"]} == {"520302", "520303"}
    assert AssessmentResult.objects_unscoped.count() == 6


def test_entered_scores_import_through_the_one_engine_and_results_export(world, year_open, tmp_path):
    from openpyxl import load_workbook

    from wuzaicun.tabular.engine import export_to_xlsx
    from wuzaicun.tabular.registry import get_template
    from wuzaicun.tabular.services import import_file
    from wuzaicun.tabular.spec import ExportContext

    county = world.users["county_a"]
    ensure_scheme(year=YEAR, level=5)
    path = tmp_path / "scores.csv"
    path.write_text("年度,区划代码,指标代码,得分\n"
                    f"{YEAR},{VILLAGE},field_review,88\n"
                    f"{YEAR},520303100201,field_review,90\n"
                    f"{YEAR},520302001002,household_exits,70\n", encoding="utf-8")
    report = import_file(actor=county, kind="assessment_scores", path=path, year=YEAR)
    assert {(i.line, i.column) for i in report.issues} == {(3, "区划代码"), (4, "指标代码")}
    assert not EnteredScore.objects_unscoped.exists()
    path.write_text(f"年度,区划代码,指标代码,得分\n{YEAR},{VILLAGE},field_review,88\n", encoding="utf-8")
    assert import_file(actor=county, kind="assessment_scores", path=path, year=YEAR).ok
    run_assessment(actor=county, year=YEAR, region_code="520302000000")
    assert AssessmentResult.objects_unscoped.get(subject_id=VILLAGE).scores["field_review"] == "88.00"
    target = tmp_path / "results.xlsx"
    count = export_to_xlsx(get_template("assessment_results"), ExportContext(actor=county, year=YEAR), target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert count == 3 and rows[0][:3] == ("年度", "区划代码", "名称")


def test_weights_are_edited_with_sums_checked_and_a_county_has_its_variant(world, year_open, client_for):
    scheme = ensure_scheme(year=YEAR, level=5)
    nodes = {n.code: n for n in scheme.indicators.all()}
    bad = {f"w-{nodes['responsibility'].pk}": "50"}
    page = client_for("city").post(f"/verification/schemes/?year={YEAR}", {"scheme": scheme.pk, **bad})
    assert page.status_code == 400 and "权重之和应为 100" in page.text
    good = {f"w-{nodes['responsibility'].pk}": "25", f"w-{nodes['field_review'].pk}": "5"}
    assert client_for("city").post(f"/verification/schemes/?year={YEAR}", {"scheme": scheme.pk, **good}).status_code == 302
    assert Indicator.objects_unscoped.get(pk=nodes["responsibility"].pk).weight == 25
    assert client_for("county_a").post(f"/verification/schemes/?year={YEAR}", {"scheme": scheme.pk, **good}).status_code == 403
    client_for("county_a").post(f"/verification/schemes/?year={YEAR}", {"action": "variant"})
    from wuzaicun.verification.models import AssessmentScheme

    variant = AssessmentScheme.objects_unscoped.get(year=YEAR, level=5, county_id="520302000000")
    run_assessment(actor=world.users["city"], year=YEAR, region_code="520300000000")
    assert AssessmentResult.objects_unscoped.get(subject_id=VILLAGE).scheme_id == variant.pk
    assert AssessmentResult.objects_unscoped.get(subject_id="520303100201").scheme_id == scheme.pk
