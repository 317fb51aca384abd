"""倒排整顿 pages: the ranking with every indicator, weights, 民主评议, cases and a case's page, in scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from wuzaicun.organization.models.rectification import (
    CaseStatus,
    DemocraticScore,
    RankingPick,
    RankingRound,
    RankingWeight,
    RectificationCase,
    RoundStatus,
)

from .test_rectification_helpers import (
    A1,
    A2,
    B1,
    CITY,
    COUNTY_A,
    COUNTY_B,
    PNG,
    YEAR,
    confirmed_case,
    county_leader,
    scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_ranking_page_proposes_adjusts_and_confirms(world, client_for):
    scores(world, {A1: "40", A2: "90"})
    city = client_for("city")
    page = city.get(f"/organization/rectification/?year={YEAR}")
    assert page.status_code == 200 and "尚未提出倒排名单" in page.content.decode()
    response = city.post("/organization/rectification/propose/", {"year": YEAR, "region_code": COUNTY_A, "count": 1})
    assert response.status_code == 302
    round_ = RankingRound.objects_unscoped.get(year=YEAR, region_id=COUNTY_A)
    html = city.get(f"/organization/rectification/?year={YEAR}&round_region={COUNTY_A}").content.decode()
    for text in ("民主评议", "上年度考核得分", "责任台账兑现率", "同分排序", "甲村", "40.00", "共 2 条", "列入整顿"):
        assert text in html, text
    refused = city.post(f"/organization/rectification/rounds/{round_.pk}/adjust/",
                        {"village_code": A2, "action": "add", "reason": ""})
    assert refused.status_code == 302 and not RankingPick.objects_unscoped.get(round=round_, village_id=A2).selected
    city.post(f"/organization/rectification/rounds/{round_.pk}/adjust/",
              {"village_code": A2, "action": "add", "reason": "群众反映强烈"})
    assert RankingPick.objects_unscoped.get(round=round_, village_id=A2).selected
    partial = city.get(f"/organization/rectification/?year={YEAR}&round_region={COUNTY_A}&only=changed",
                       headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="list">') and "群众反映强烈" in partial.content.decode()
    assert city.post(f"/organization/rectification/rounds/{round_.pk}/confirm/").status_code == 302
    assert RankingRound.objects_unscoped.get(pk=round_.pk).status == RoundStatus.CONFIRMED
    assert RectificationCase.objects_unscoped.filter(year=YEAR).count() == 2


def test_the_ranking_page_of_another_county_is_out_of_reach(world, client_for):
    scores(world, {A1: "40", A2: "90", B1: "30"})
    client_for("city").post("/organization/rectification/propose/", {"year": YEAR, "region_code": CITY, "count": 2})
    round_ = RankingRound.objects_unscoped.get(year=YEAR)
    a_page = client_for("county_a").get(f"/organization/rectification/?year={YEAR}").content.decode()
    assert "甲村" in a_page and "丙村" not in a_page  # the city round, read for county A's villages
    b_page = client_for("county_b").get(f"/organization/rectification/?year={YEAR}").content.decode()
    assert "丙村" in b_page and "甲村" not in b_page
    assert client_for("county_a").post(f"/organization/rectification/rounds/{round_.pk}/confirm/").status_code == 404
    assert client_for("township_a").post("/organization/rectification/propose/",
                                         {"year": YEAR, "count": 1}).status_code == 403


def test_the_weights_page_saves_and_refuses_in_chinese(world, client_for):
    city = client_for("city")
    page = city.get(f"/organization/rectification/weights/?year={YEAR}").content.decode()
    assert "民主评议" in page and "默认权重" in page
    data = {"year": YEAR, "w-democratic_score": "25", "on-democratic_score": "on", "w-ledger_fulfilment": "15",
            "on-ledger_fulfilment": "on"}
    assert city.post(f"/organization/rectification/weights/?year={YEAR}", data).status_code == 302
    assert RankingWeight.objects_unscoped.get(year=YEAR, code="democratic_score").weight == 25
    assert not RankingWeight.objects_unscoped.get(year=YEAR, code="household_coverage").enabled
    bad = city.post(f"/organization/rectification/weights/?year={YEAR}", {"w-democratic_score": "abc",
                                                                           "on-democratic_score": "on"})
    assert bad.status_code == 200 and "民主评议的权重“abc”不是数字" in bad.content.decode()
    assert client_for("county_a").post(f"/organization/rectification/weights/?year={YEAR}", data).status_code == 403


def test_democratic_scores_page_enters_lists_and_scopes(world, client_for):
    city = client_for("city")
    assert city.post(f"/organization/rectification/democratic/?year={YEAR}",
                     {"village_code": A1, "score": "66.5"}).status_code == 302
    assert DemocraticScore.objects_unscoped.get(village_id=A1, year=YEAR).score == 66.5
    bad = city.post(f"/organization/rectification/democratic/?year={YEAR}", {"village_code": A1, "score": "101"})
    assert "超出允许范围" in bad.content.decode()
    scores(world, {B1: "50"})
    a_list = client_for("county_a").get(f"/organization/rectification/democratic/?year={YEAR}").content.decode()
    assert "甲村" in a_list and "丙村" not in a_list and "共 1 条" in a_list
    out = client_for("county_a").post(f"/organization/rectification/democratic/?year={YEAR}",
                                      {"village_code": B1, "score": "10"})
    assert out.status_code in (200, 403) and DemocraticScore.objects_unscoped.get(village_id=B1).score == 50


def test_a_case_is_taken_to_transformed_on_its_page(world, client_for):
    case = confirmed_case(world)
    leader = county_leader(world)
    county, reporter = client_for("county_a"), client_for("reporter_a")
    response = county.post(f"/organization/rectification/cases/{case.pk}/edit/", {
        "problems": "班子软弱", "plan": "年内转化", "measures": "调整班子", "leader_id": leader.pk,
        "deadline": f"{YEAR}-12-31", "version": case.version})
    assert response.status_code == 302
    refused = reporter.post(f"/organization/rectification/cases/{case.pk}/submit/")
    assert refused.status_code == 400 and "佐证材料" in refused.content.decode()
    reporter.post(f"/organization/rectification/cases/{case.pk}/progress/", {
        "reported_on": f"{YEAR}-06-01", "narrative": "召开组织生活会", "files": [SimpleUploadedFile("现场.png", PNG)]})
    reporter.post(f"/organization/rectification/cases/{case.pk}/submit/")
    no_note = client_for("township_a").post(f"/organization/rectification/cases/{case.pk}/review/township/",
                                            {"decision": "returned", "note": ""})
    assert no_note.status_code == 400 and "必须填写意见" in no_note.content.decode()
    client_for("township_a").post(f"/organization/rectification/cases/{case.pk}/review/township/",
                                  {"decision": "approved"})
    county.post(f"/organization/rectification/cases/{case.pk}/review/county/", {"decision": "approved"})
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFORMED
    page = county.get(f"/organization/rectification/cases/{case.pk}/").content.decode()
    assert "已转化" in page and "现场.png" in page and "县领导" in page
    assert client_for("county_b").get(f"/organization/rectification/cases/{case.pk}/").status_code == 404


def test_the_cases_list_filters_pages_and_exports_within_scope(world, client_for):
    a_case = confirmed_case(world)
    b_case = confirmed_case(world, region=COUNTY_B, village=B1)
    RectificationCase.objects_unscoped.filter(pk=a_case.pk).update(deadline=dt.date(YEAR, 1, 31))
    RectificationCase.objects_unscoped.filter(pk=b_case.pk).update(deadline=dt.date(2100, 1, 31))
    html = client_for("city").get(f"/organization/rectification/cases/?year={YEAR}").content.decode()
    assert "甲村" in html and "丙村" in html and "逾期" in html and "共 2 条" in html
    overdue = client_for("city").get(f"/organization/rectification/cases/?year={YEAR}&overdue=1").content.decode()
    assert "甲村" in overdue and "丙村" not in overdue
    a_html = client_for("county_a").get(f"/organization/rectification/cases/?year={YEAR}").content.decode()
    assert "甲村" in a_html and "丙村" not in a_html
    # the area is picked by name: the filter shows the county chosen, the list keeps its cases only
    by_area = client_for("city").get(f"/organization/rectification/cases/?year={YEAR}&region={COUNTY_B}").content.decode()
    assert "丙村" in by_area and "甲村" not in by_area and 'placeholder="区划代码"' not in by_area
    assert f'name="region" value="{COUNTY_B}"' in by_area and 'picker-chip-label">' in by_area
    response = client_for("county_a").post("/imports/rectification_cases/export/", {"year": YEAR, "region": ""})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("整顿年度", "区划代码", "村", "党组织", "整顿状态")
    assert [r[1] for r in rows[1:]] == [A1] and rows[1][7] == "是"


def test_the_ranking_exports_every_indicator_of_the_filtered_list(world, client_for):
    scores(world, {A1: "40", A2: "90", B1: "30"})
    client_for("city").post("/organization/rectification/propose/", {"year": YEAR, "region_code": CITY, "count": 2})
    response = client_for("county_a").post("/imports/rectification_ranking/export/", {"year": YEAR, "region": ""})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert "民主评议" in rows[0] and "综合得分" in rows[0]
    assert [r[2] for r in rows[1:]] == [A1, A2]  # county A's villages of the city round, by rank
    selected = client_for("city").post("/imports/rectification_ranking/export/",
                                       {"year": YEAR, "region": "", "only": "selected"})
    rows = list(load_workbook(io.BytesIO(b"".join(selected.streaming_content))).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == [B1, A1]


def test_list_pages_ask_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    scores(world, {A1: "40", A2: "90", B1: "30"})
    client_for("city").post("/organization/rectification/propose/", {"year": YEAR, "region_code": CITY, "count": 3})
    client_for("city").post(f"/organization/rectification/rounds/{RankingRound.objects_unscoped.get().pk}/confirm/")
    city = client_for("city")
    for url in (f"/organization/rectification/?year={YEAR}", f"/organization/rectification/cases/?year={YEAR}",
                f"/organization/rectification/democratic/?year={YEAR}"):
        with django_assert_max_num_queries(25):
            assert city.get(url).status_code == 200


def test_a_village_user_editing_the_case_keeps_the_county_leader_it_cannot_see(world, client_for):
    case = confirmed_case(world)
    leader = county_leader(world)
    client_for("county_a").post(f"/organization/rectification/cases/{case.pk}/edit/", {
        "problems": "班子软弱", "plan": "", "measures": "", "leader_id": leader.pk, "deadline": "", "version": 1})
    page = client_for("reporter_a").get(f"/organization/rectification/cases/{case.pk}/").content.decode()
    assert "picker-chip" not in page.split('id="case-form"')[1].split("</form>")[0]  # the picker cannot name it
    response = client_for("reporter_a").post(f"/organization/rectification/cases/{case.pk}/edit/", {
        "problems": "班子软弱，已召开会议", "plan": "年内转化", "measures": "", "leader_id": "", "deadline": "",
        "version": 2})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.leader_id == leader.pk and case.plan == "年内转化"
