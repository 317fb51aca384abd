"""倒排整顿 by API and by the command line: what an administrator does on the pages, scripted."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from wuzaicun.organization.models.rectification import (
    CaseStatus,
    DemocraticScore,
    RankingRound,
    RankingWeight,
    RectificationCase,
    RoundStatus,
)
from wuzaicun.tabular.services import import_file
from wuzaicun.testing.api import api_client

from .test_rectification_helpers import A1, A2, B1, B2, COUNTY_A, COUNTY_B, PNG, YEAR, county_leader, scores

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _json(response):
    return json.loads(response.content)


def test_a_year_scripted_by_api_from_weights_to_a_transformed_case(world):
    city, county, township, reporter = (api_client(u) for u in ("city", "county_a", "township_a", "reporter_a"))
    weights = _json(city.put(f"/api/organization/rectification/weights?year={YEAR}",
                             data=json.dumps([{"code": "democratic_score", "weight": "40"}]),
                             content_type="application/json"))
    assert next(w for w in weights if w["code"] == "democratic_score")["weight"] == "40.00"
    for code, score in ((A1, "40"), (A2, "90")):
        response = city.post("/api/organization/rectification/democratic-scores", content_type="application/json",
                             data=json.dumps({"year": YEAR, "village_code": code, "score": score}))
        assert response.status_code == 201
    bad = city.post("/api/organization/rectification/democratic-scores", content_type="application/json",
                    data=json.dumps({"year": YEAR, "village_code": A1, "score": "120"}))
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    proposal = _json(county.get(f"/api/organization/rectification/proposal?year={YEAR}&count=1"))
    assert [r["village"] for r in proposal["rows"]] == [A1] and proposal["rows"][0]["values"]["democratic_score"] == "40.00"
    assert "民主评议" in proposal["tie_rule"]
    round_ = _json(county.post("/api/organization/rectification/rounds", content_type="application/json",
                               data=json.dumps({"year": YEAR, "region_code": COUNTY_A, "count": 1})))
    assert round_["counts"]["selected"] == 1 and round_["status"] == "proposed"
    picks = _json(county.get(f"/api/organization/rectification/rounds/{round_['id']}/picks?page_size=10"))
    assert picks["count"] == 2 and picks["results"][0]["village_code"] == A1
    no_reason = county.post(f"/api/organization/rectification/rounds/{round_['id']}/adjust", content_type="application/json",
                            data=json.dumps({"village_code": A2, "selected": True, "reason": ""}))
    assert no_reason.status_code == 400 and "理由" in no_reason.json()["message"]
    assert _json(county.post(f"/api/organization/rectification/rounds/{round_['id']}/confirm"))["cases_created"] == 1
    case = _json(county.get(f"/api/organization/rectification/cases?year={YEAR}"))["results"][0]
    leader = county_leader(world)
    patched = county.patch(f"/api/organization/rectification/cases/{case['id']}", content_type="application/json",
                           data=json.dumps({"problems": "班子软弱", "plan": "转化", "measures": "调整", "leader_id": leader.pk,
                                            "deadline": f"{YEAR}-12-31", "version": case["version"]}))
    assert patched.status_code == 200 and patched.json()["leader_name"] == "县领导"
    stale = county.patch(f"/api/organization/rectification/cases/{case['id']}", content_type="application/json",
                         data=json.dumps({"problems": "x", "version": case["version"]}))
    assert stale.status_code == 409
    progress = _json(reporter.post(f"/api/organization/rectification/cases/{case['id']}/progress",
                                   content_type="application/json",
                                   data=json.dumps({"reported_on": f"{YEAR}-06-01", "narrative": "召开组织生活会"})))
    early = reporter.post(f"/api/organization/rectification/cases/{case['id']}/submit")
    assert early.status_code == 400 and "佐证材料" in early.json()["message"]
    uploaded = reporter.post(f"/api/organization/rectification/cases/{case['id']}/progress/{progress['id']}/evidence",
                             {"files": [SimpleUploadedFile("现场.png", PNG)]})
    assert uploaded.status_code == 201 and uploaded.json()["evidence"][0]["original_name"] == "现场.png"
    assert reporter.post(f"/api/organization/rectification/cases/{case['id']}/submit").json()["status"] == "submitted"
    out_of_order = county.post(f"/api/organization/rectification/cases/{case['id']}/review", content_type="application/json",
                               data=json.dumps({"level": "county", "decision": "approved"}))
    assert out_of_order.status_code == 409 and out_of_order.json()["code"] == "out_of_order"
    township.post(f"/api/organization/rectification/cases/{case['id']}/review", content_type="application/json",
                  data=json.dumps({"level": "township", "decision": "approved"}))
    done = _json(county.post(f"/api/organization/rectification/cases/{case['id']}/review", content_type="application/json",
                             data=json.dumps({"level": "county", "decision": "approved"})))
    assert done["status"] == CaseStatus.TRANSFORMED and done["status_label"] == "已转化"
    assert len(done["progress"]) == 1


def test_the_api_keeps_each_county_to_its_own(world):
    scores(world, {A1: "40", A2: "90", B1: "30", B2: "80"})
    a, b = api_client("county_a"), api_client("county_b")
    b_round = _json(b.post("/api/organization/rectification/rounds", content_type="application/json",
                           data=json.dumps({"year": YEAR, "region_code": COUNTY_B, "count": 1})))
    assert a.get(f"/api/organization/rectification/rounds/{b_round['id']}").status_code == 404
    assert a.post(f"/api/organization/rectification/rounds/{b_round['id']}/confirm").status_code == 404
    refused = a.post("/api/organization/rectification/rounds", content_type="application/json",
                     data=json.dumps({"year": YEAR, "region_code": COUNTY_B, "count": 1}))
    assert refused.status_code == 404
    b.post(f"/api/organization/rectification/rounds/{b_round['id']}/confirm")
    b_case = RectificationCase.objects_unscoped.get(village_id=B1)
    assert a.get(f"/api/organization/rectification/cases/{b_case.pk}").status_code == 404
    assert _json(a.get(f"/api/organization/rectification/cases?year={YEAR}"))["count"] == 0
    assert _json(b.get(f"/api/organization/rectification/cases?year={YEAR}"))["count"] == 1
    scores_a = _json(a.get(f"/api/organization/rectification/democratic-scores?year={YEAR}"))
    assert {r["village_code"] for r in scores_a["results"]} == {A1, A2}


def test_the_command_line_proposes_without_saving_unless_asked(world):
    scores(world, {A1: "40", A2: "90", B1: "30", B2: "80"})
    out, err = io.StringIO(), io.StringIO()
    call_command("rectification", "propose", "--year", str(YEAR), "--region", "5203", "--count", "2", "--json",
                 stdout=out, stderr=err)
    document = json.loads(out.getvalue())
    assert [r["village"] for r in document["rows"]] == [B1, A1] and document["villages"] == 4
    assert "未保存" in err.getvalue()
    assert not RankingRound.objects_unscoped.exists()
    text = io.StringIO()
    call_command("rectification", "propose", "--year", str(YEAR), "--region", "5203", "--count", "2", "--save",
                 stdout=text, stderr=io.StringIO())
    assert text.getvalue().splitlines()[0].startswith("倒排名次\t区划代码\t村\t综合得分")
    assert RankingRound.objects_unscoped.get().status == RoundStatus.PROPOSED
    call_command("rectification", "adjust", "--year", str(YEAR), "--region", "5203", "--village", B1, "--remove",
                 "--reason", "已整改", stderr=io.StringIO())
    made = io.StringIO()
    call_command("rectification", "confirm", "--year", str(YEAR), "--region", "5203", stdout=made, stderr=io.StringIO())
    assert made.getvalue().strip() == "1" and RectificationCase.objects_unscoped.get().village_id == A1
    with pytest.raises(CommandError, match="已确认"):
        call_command("rectification", "propose", "--year", str(YEAR), "--region", "5203", "--save", "--count", "2",
                     stdout=io.StringIO(), stderr=io.StringIO())
    carried = io.StringIO()
    call_command("rectification", "carry-over", "--year", str(YEAR), stdout=carried, stderr=io.StringIO())
    assert carried.getvalue().strip() == "1"


def test_the_command_line_sets_weights_and_acts_as_a_user(world):
    out = io.StringIO()
    call_command("rectification", "weights", "--year", str(YEAR), "--set", "democratic_score=35", "--disable",
                 "spot_check_findings", "--json", stdout=out, stderr=io.StringIO())
    rows = {r["code"]: r for r in json.loads(out.getvalue())["indicators"]}
    assert rows["democratic_score"]["weight"] == "35.00" and rows["spot_check_findings"]["enabled"] is False
    assert RankingWeight.objects_unscoped.filter(year=YEAR).count() == 7
    with pytest.raises(CommandError, match="没有名为"):
        call_command("rectification", "weights", "--set", "nonsense=3", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="市级"):
        call_command("rectification", "weights", "--set", "democratic_score=3", "--as", "county_a",
                     stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="不存在或不在"):
        call_command("rectification", "propose", "--region", COUNTY_B, "--save", "--count", "1", "--as", "county_a",
                     stdout=io.StringIO(), stderr=io.StringIO())


def test_democratic_scores_import_all_or_nothing_with_chinese_errors(world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(f"年度,区划代码,民主评议得分\n{YEAR},{A1},66.5\n{YEAR},{A2},88\n", encoding="utf-8")
    report = import_file(actor=world.users["county_a"], kind="democratic_scores", path=good)
    assert report.issue_count == 0 and DemocraticScore.objects_unscoped.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(f"年度,区划代码,民主评议得分\n{YEAR},{A1},70\n{YEAR},{B1},50\n{YEAR},{A1},60\n{YEAR},{A2},101\n",
                   encoding="utf-8")
    report = import_file(actor=world.users["county_a"], kind="democratic_scores", path=bad)
    problems = {(i.line, i.column): i.message for i in report.issues}
    assert "不在您的管辖范围内" in problems[(3, "区划代码")]
    assert "第2行" in problems[(4, "区划代码")]
    assert (5, "民主评议得分") in problems
    assert DemocraticScore.objects_unscoped.get(village_id=A1).score == 66.5  # nothing written
