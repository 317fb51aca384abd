"""结对帮扶 and 企业帮扶: the rules table-driven; pairings made, refused, ended; supports in the pairing's years;
enterprises by GB 32100 and their help upserted; pages, API and templates in scope both ways; the synth's figures."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound
from wuzaicun.core.identifiers import credit_code_check_char
from wuzaicun.organization.models import PartyOrganisation
from wuzaicun.resources.models import BranchPairing, Enterprise, EnterpriseHelp, KinPairing, PairingSupport
from wuzaicun.resources.rules.pairings import (
    active_in,
    branch_problems,
    help_problems,
    kin_problems,
    support_problems,
)
from wuzaicun.resources.services.pairings import (
    add_support,
    create_branch_pairing,
    create_kin_pairing,
    end_kin_pairing,
    record_help,
    save_enterprise,
)
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext
from wuzaicun.testing.api import api_client

A1, A2, B1 = "520302001001", "520302001002", "520303100201"
TOWN_A, TOWN_B = "520302001000", "520303100000"


def code(serial: int, county: str = "520302") -> str:
    body = f"91{county}MA{serial:07d}"
    return body + credit_code_check_char(body)


def orgs(world: Any) -> dict[str, PartyOrganisation]:
    """A village organisation in A1, A2 and B1, and each county's township committee."""
    made = {}
    for key, region, category in (("a1", A1, "village"), ("a2", A2, "village"), ("b1", B1, "village"),
                                  ("town_a", TOWN_A, "other"), ("town_b", TOWN_B, "other")):
        name = f"中共{world.regions[region].name}{'支部' if category == 'village' else ''}委员会"
        made[key] = PartyOrganisation.objects_unscoped.create(
            name=name, org_type="branch" if category == "village" else "committee", category=category,
            region=world.regions[region])
    return made


# --- rules ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("helper", "helped", "since", "until", "field", "message"), [
    (("other", 4), ("village", 5), 2016, None, None, None),
    (("village", 5), ("village", 5), 2016, None, "结对党组织", "是村级党组织"),
    (("other", 4), ("other", 4), 2016, None, "村党组织", "不是村党组织"),
    (("other", 4), ("village", 5), 2016, 2015, "结束年度", "早于结对年度"),
    (("other", 4), ("village", 5), None, None, "结对年度", "必填"),
])
def test_branch_rules(helper, helped, since, until, field, message):
    problems = branch_problems(helper_id=1, helper_name="中共老城街道委员会", helper_category=helper[0],
                               helper_level=helper[1], helped_id=2, helped_name="中共甲村支部委员会",
                               helped_category=helped[0], helped_level=helped[1], since=since, until=until)
    if field is None:
        assert problems == []
    else:
        assert [f for f, _ in problems] == [field] and message in problems[0][1]


def test_a_pairing_with_itself_is_refused_by_name():
    problems = branch_problems(helper_id=2, helper_name="中共甲村支部委员会", helper_category="village",
                               helper_level=5, helped_id=2, helped_name="中共甲村支部委员会",
                               helped_category="village", helped_level=5, since=2016)
    assert problems == [("结对党组织", "“中共甲村支部委员会”不能与自身结对")]


@pytest.mark.parametrize(("kind", "amount", "year", "fields"), [
    ("project", Decimal(0), 2016, []),
    ("goods", Decimal("100.50"), 2017, []),
    ("money", Decimal(0), 2016, ["折合金额（元）"]),
    ("project", Decimal(-1), 2016, ["折合金额（元）"]),
    ("loan", Decimal(1), 2016, ["帮扶类型"]),
    ("project", Decimal(1), 2014, ["年度"]),
    ("project", Decimal(1), 2019, ["年度"]),
])
def test_support_rules(kind, amount, year, fields):
    problems = support_problems(kind=kind, description="修路", amount=amount, year=year, since=2015, until=2018,
                                pairing="张三与李四户的干群结亲")
    assert [f for f, _ in problems] == fields


def test_kin_and_help_rules_and_years():
    assert kin_problems(person_name="张三", head_name="李四", since=2016, overlapping_since=2015) == [
        ("结亲户", "张三与李四户已于2015年结亲，同一年度不能重复结亲")]
    assert help_problems(village_name="甲村", village_level=5, year=2016, pledged=Decimal(1), paid=Decimal(5)) == []
    assert [f for f, _ in help_problems(village_name="老城街道", village_level=4, year=2016, pledged=Decimal(-1),
                                        paid=Decimal(-1))] == ["帮扶村", "承诺资金（元）", "到位资金（元）"]
    assert active_in(2016, 2015, None) and active_in(2016, 2016, 2016) and not active_in(2016, 2017, None)
    assert not active_in(2016, 2014, 2015)


# --- services -------------------------------------------------------------------------------------------------

def test_a_branch_pairing_is_made_audited_and_refused_twice(world):
    o = orgs(world)
    actor = world.users["county_a"]
    made = create_branch_pairing(actor=actor, helper_id=o["town_a"].pk, helped_id=o["a1"].pk, since=2016)
    entry = AuditEntry.objects_unscoped.get(object_type="branch_pairing")
    assert "中共老城街道委员会" in entry.summary and entry.region_code == A1
    with pytest.raises(DomainError, match="已于2016年结对"):
        create_branch_pairing(actor=actor, helper_id=o["town_a"].pk, helped_id=o["a1"].pk, since=2017)
    with pytest.raises(DomainError, match="不是村党组织"):
        create_branch_pairing(actor=actor, helper_id=o["town_a"].pk, helped_id=o["town_a"].pk, since=2016)
    with pytest.raises(NotFound):  # the other county's organisation is not there for county A
        create_branch_pairing(actor=actor, helper_id=o["town_b"].pk, helped_id=o["a1"].pk, since=2016)
    assert BranchPairing.objects_unscoped.get() == made


def test_kin_pairs_once_a_year_and_supports_in_their_years(world):
    actor = world.users["county_a"]
    cadre, household = world.people[A1][0], world.households[A1][0]
    pairing = create_kin_pairing(actor=actor, person_id=cadre.pk, household_id=household.pk, since=2015)
    create_kin_pairing(actor=actor, person_id=cadre.pk, household_id=world.households[A1][1].pk, since=2016)
    with pytest.raises(DomainError, match=f"{cadre.name}与{household.head_name}户已于2015年结亲"):
        create_kin_pairing(actor=actor, person_id=cadre.pk, household_id=household.pk, since=2016)
    add_support(actor=actor, kin_pairing_id=pairing.pk, year=2016, kind="goods", description="送化肥",
                amount=Decimal("300"))
    with pytest.raises(DomainError, match="资金帮扶的金额应大于0"):
        add_support(actor=actor, kin_pairing_id=pairing.pk, year=2016, kind="money", description="资金",
                    amount=Decimal(0))
    with pytest.raises(DomainError, match="在2016年还有帮扶记录"):
        end_kin_pairing(actor=actor, pairing_id=pairing.pk, until=2015)
    end_kin_pairing(actor=actor, pairing_id=pairing.pk, until=2016)
    with pytest.raises(DomainError, match="2017年不在其中"):
        add_support(actor=actor, kin_pairing_id=pairing.pk, year=2017, kind="project", description="修路",
                    amount=Decimal(0))
    # ended in 2016: a new pairing of the same two from 2017 is allowed
    assert create_kin_pairing(actor=actor, person_id=cadre.pk, household_id=household.pk, since=2017).since == 2017
    support = PairingSupport.objects_unscoped.get()
    assert support.village_id == A1 and support.kin_pairing_id == pairing.pk


def test_scope_both_ways(world):
    mine = create_kin_pairing(actor=world.users["county_a"], person_id=world.people[A1][0].pk,
                              household_id=world.households[A1][0].pk, since=2016)
    theirs = create_kin_pairing(actor=world.users["county_b"], person_id=world.people[B1][0].pk,
                                household_id=world.households[B1][0].pk, since=2016)
    with pytest.raises(NotFound):
        add_support(actor=world.users["county_a"], kin_pairing_id=theirs.pk, year=2016, kind="project",
                    description="x", amount=Decimal(0))
    with pytest.raises(NotFound):
        end_kin_pairing(actor=world.users["county_b"], pairing_id=mine.pk, until=2016)
    with pytest.raises(NotFound):
        create_kin_pairing(actor=world.users["county_a"], person_id=world.people[A1][0].pk,
                           household_id=world.households[B1][0].pk, since=2016)


def test_enterprises_by_credit_code_and_help_upserted(world):
    actor = world.users["county_a"]
    with pytest.raises(DomainError, match="校验码错误"):
        save_enterprise(actor=actor, name="遵义红色茶业有限公司", credit_code=code(1)[:-1] + "0"
                        if code(1)[-1] != "0" else code(1)[:-1] + "1", region_code="520302000000")
    firm = save_enterprise(actor=actor, name="遵义红色茶业有限公司", credit_code=code(1).lower(),
                           region_code="520302000000")
    assert firm.credit_code == code(1)
    with pytest.raises(DomainError, match="已登记为“遵义红色茶业有限公司”"):  # the same county: named
        save_enterprise(actor=actor, name="别的公司", credit_code=code(1), region_code="520302000000")
    with pytest.raises(DomainError) as elsewhere:  # another county: not named (out of scope is like missing)
        save_enterprise(actor=world.users["county_b"], name="别的公司", credit_code=code(1),
                        region_code="520303000000")
    assert "已由其他地区登记" in elsewhere.value.message and "遵义红色茶业" not in elsewhere.value.message
    _, created = record_help(actor=actor, enterprise_id=firm.pk, village_code=A1, year=2016,
                             pledged=Decimal("100"), paid=Decimal("80"))
    again, created_again = record_help(actor=actor, enterprise_id=firm.pk, village_code=A1, year=2016,
                                       pledged=Decimal("100"), paid=Decimal("120"), note="超额")
    assert created and not created_again and again.paid == Decimal("120") and EnterpriseHelp.objects_unscoped.count() == 1
    with pytest.raises(DomainError, match="不是村"):
        record_help(actor=actor, enterprise_id=firm.pk, village_code=TOWN_A, year=2016, pledged=Decimal(1),
                    paid=Decimal(1))
    with pytest.raises(NotFound):
        record_help(actor=actor, enterprise_id=firm.pk, village_code=B1, year=2016, pledged=Decimal(1),
                    paid=Decimal(1))


# --- pages ----------------------------------------------------------------------------------------------------

def _kin(world: Any, county: str, village: str, n: int = 1) -> list[KinPairing]:
    return [create_kin_pairing(actor=world.users[f"county_{county}"], person_id=world.people[village][i % 2].pk,
                               household_id=world.households[village][i].pk, since=2016) for i in range(n)]


def test_a_kin_pairing_follows_its_household_whatever_moves_it(world, tmp_path):
    """D46: a pairing is in its household's village; moved by the household form, by the households template or
    by plain SQL, the pairing moves with it: the county that gains the household sees it, the one that lost it
    no longer does, and the other county's own pairing stays where it was."""
    from django.db import connection

    from wuzaicun.registry.services import save_household
    from wuzaicun.resources.selectors.pairings import kin_pairings
    from wuzaicun.tabular.tests import sheets

    moving = _kin(world, "a", A1, 3)
    theirs = _kin(world, "b", B1)[0]

    def seen(county: str) -> set[int]:
        return set(kin_pairings(world.users[f"county_{county}"], year=2016).values_list("pk", flat=True))

    def village_of(pairing: KinPairing) -> str:
        return KinPairing.objects_unscoped.get(pk=pairing.pk).village_id

    assert seen("a") == {p.pk for p in moving} and seen("b") == {theirs.pk}
    household = moving[0].household
    save_household(actor=world.users["city"], household_id=household.pk, region_code=B1,
                   head_name=household.head_name, resident_id=None, members=household.members,
                   status=household.status, identified_year=household.identified_year, exit_year=household.exit_year,
                   cause=household.cause, income_per_head=household.income_per_head)
    assert village_of(moving[0]) == B1
    assert seen("a") == {moving[1].pk, moving[2].pk} and seen("b") == {theirs.pk, moving[0].pk}

    second = moving[1].household
    row = sheets.household(B1, second.reveal_resident_id(), 户主姓名=second.head_name, 家庭人口=second.members,
                           贫困状态=second.status, 识别年度=second.identified_year, 致贫原因=second.cause)
    path = sheets.write_csv(tmp_path / "户.csv", sheets.table(sheets.HOUSEHOLD_HEADERS, [row]))
    report = import_file(actor=world.users["city"], kind="households", path=path)
    assert report.ok, report.issues
    assert village_of(moving[1]) == B1 and seen("b") == {theirs.pk, moving[0].pk, moving[1].pk}

    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_household SET region_id = %s WHERE id = %s", [A2, moving[2].household_id])
    assert village_of(moving[2]) == A2 and seen("a") == {moving[2].pk}
    assert village_of(theirs) == B1
    assert not KinPairing.objects_unscoped.exclude(village_id=F("household__region_id")).exists()


def test_the_lists_show_each_county_its_own_at_constant_queries(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _kin(world, "a", A1)
    theirs = _kin(world, "b", B1)[0]
    client = client_for("county_a")
    client.get("/resources/pairings/")
    with CaptureQueriesContext(connection) as one:
        page = client.get("/resources/pairings/?year=2016")
    assert "共 1 条" in page.text and world.households[A1][0].head_name in page.text
    assert world.households[B1][0].head_name not in page.text
    _kin(world, "a", A2, 3)
    with CaptureQueriesContext(connection) as four:
        page = client.get("/resources/pairings/?year=2016")
    assert "共 4 条" in page.text and len(four) == len(one)
    assert client.get(f"/resources/pairings/kin/{theirs.pk}/").status_code == 404
    assert "共 0 条" in client.get("/resources/pairings/?year=2015").text
    found = client.get(f"/resources/pairings/?year=2016&q={world.households[A2][2].head_name}")
    assert "共 1 条" in found.text
    branch = client.get("/resources/pairings/?tab=branch&year=2016")
    assert branch.status_code == 200 and "新增支部结对" in branch.text


def test_pairings_and_enterprises_are_made_by_form(world, client_for):
    o = orgs(world)
    client = client_for("county_a")
    posted = client.post("/resources/pairings/branch/new/", {"helper_id": o["town_a"].pk, "helped_id": o["a1"].pk,
                                                             "since": 2016})
    made = BranchPairing.objects_unscoped.get()
    assert posted.status_code == 302 and posted["Location"] == f"/resources/pairings/branch/{made.pk}/"
    support = client.post(f"/resources/pairings/branch/{made.pk}/supports/",
                          {"year": 2016, "kind": "project", "description": "产业路硬化项目", "amount": "150000"})
    assert support.status_code == 302
    detail = client.get(f"/resources/pairings/branch/{made.pk}/")
    assert "产业路硬化项目" in detail.text and "中共甲村支部委员会" in detail.text
    saved = PairingSupport.objects_unscoped.get()
    other = create_kin_pairing(actor=world.users["county_a"], person_id=world.people[A1][0].pk,
                               household_id=world.households[A1][0].pk, since=2016)
    assert client.post(f"/resources/pairings/kin/{other.pk}/supports/{saved.pk}/remove/").status_code == 404
    assert client.post(f"/resources/pairings/branch/{made.pk}/supports/{saved.pk}/remove/").status_code == 302
    ended = client.post(f"/resources/pairings/branch/{made.pk}/end/", {"until": 2016})
    assert ended.status_code == 302 and BranchPairing.objects_unscoped.get().until == 2016
    assert client.post(f"/resources/pairings/other/{made.pk}/end/", {"until": 2016}).status_code == 404
    bad = client.post("/resources/pairings/kin/new/", {"person_id": world.people[A1][0].pk,
                                                       "household_id": world.households[A1][0].pk, "since": 1800})
    assert bad.status_code == 400
    firm = client.post("/resources/enterprises/new/", {"name": "遵义金鼎茶业有限公司", "credit_code": code(5),
                                                      "region_code": "520302000000"})
    enterprise = Enterprise.objects_unscoped.get()
    assert firm.status_code == 302
    helped = client.post(f"/resources/enterprises/{enterprise.pk}/helps/",
                         {"village_code": A1, "year": 2016, "pledged": "1,000.00", "paid": "800"})
    assert helped.status_code == 302
    listed = client.get("/resources/enterprises/?year=2016")
    assert "遵义金鼎茶业有限公司" in listed.text and "800" in listed.text
    assert client_for("county_b").get(f"/resources/enterprises/{enterprise.pk}/").status_code == 404


# --- templates ------------------------------------------------------------------------------------------------

PAIRING_HEADERS = ["结对类型", "年度", "结对党组织", "干部身份证号", "干部姓名", "村区划代码", "村党组织", "结亲户户主身份证号",
                   "帮扶类型", "帮扶内容", "折合金额（元）"]
HELP_HEADERS = ["企业名称", "统一社会信用代码", "注册地区划代码", "帮扶村区划代码", "年度", "承诺资金（元）", "到位资金（元）",
                "帮扶内容"]


def _write(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def test_the_pairings_template_imports_reports_every_problem_and_round_trips(world, tmp_path):
    orgs(world)
    actor = world.users["county_a"]
    cadre, household = world.people[A1][0], world.households[A1][0]
    good = [
        ["干群结亲", "2016", "", cadre.reveal_resident_id(), cadre.name, A1, "", household.reveal_resident_id(),
         "物资", "送化肥", "300"],
        ["干群结亲", "2016", "", cadre.reveal_resident_id(), cadre.name, A1, "", household.reveal_resident_id(),
         "", "", ""],
        ["支部结对", "2016", "中共老城街道委员会", "", "", A1, "", "", "项目", "茶园提质改造项目", "200000"],
    ]
    bad = [*good, ["干群结亲", "2016", "", cadre.reveal_resident_id(), "别人", B1, "", "", "资金", "", "0"]]
    report = import_file(actor=actor, kind="pairings", path=_write(tmp_path / "bad.csv", PAIRING_HEADERS, bad))
    problems = {(i.line, i.column) for i in report.issues}
    assert {(5, "村区划代码"), (5, "结亲户户主身份证号"), (5, "帮扶内容"), (5, "折合金额")} <= problems
    assert not KinPairing.objects_unscoped.exists()  # all or nothing
    report = import_file(actor=actor, kind="pairings", path=_write(tmp_path / "good.csv", PAIRING_HEADERS, good))
    assert report.ok, report.issues
    assert KinPairing.objects_unscoped.count() == 1 and BranchPairing.objects_unscoped.count() == 1
    assert PairingSupport.objects_unscoped.count() == 2
    full = tmp_path / "full.xlsx"
    export_to_xlsx(get_template("pairings"), ExportContext(actor=actor, year=2016, full_ids=True, reason="核对"), full)
    again = import_file(actor=actor, kind="pairings", path=full)
    assert again.ok, again.issues
    assert (KinPairing.objects_unscoped.count(), BranchPairing.objects_unscoped.count(),
            PairingSupport.objects_unscoped.count()) == (1, 1, 2)
    earlier = [["干群结亲", "2014", "", cadre.reveal_resident_id(), cadre.name, A1, "", household.reveal_resident_id(),
                "", "", ""]]
    report = import_file(actor=actor, kind="pairings", path=_write(tmp_path / "e.csv", PAIRING_HEADERS, earlier))
    assert [(i.line, i.column) for i in report.issues] == [(2, "结亲户户主身份证号")]
    assert "已于2016年起结对" in report.issues[0].message


def test_the_enterprise_help_template_creates_upserts_and_round_trips(world, tmp_path):
    actor = world.users["county_a"]
    rows = [["遵义聚丰酒业有限公司", code(9), "520302000000", A1, "2016", "1,000,000.00", "900000", "就业帮扶"],
            ["遵义聚丰酒业有限公司", code(9), "520302000000", A2, "2016", "500000", "600000", ""]]
    bad = [*rows, ["另一个名字", code(9), "520302000000", B1, "2016", "-1", "x", ""],
           ["坏代码公司", "91520302MA00000099", "520302000000", A1, "2016", "1", "1", ""]]
    report = import_file(actor=actor, kind="enterprise_help", path=_write(tmp_path / "b.csv", HELP_HEADERS, bad))
    columns = {(i.line, i.column) for i in report.issues}
    assert {(4, "帮扶村区划代码"), (4, "企业名称"), (4, "承诺资金"), (4, "到位资金"),
            (5, "统一社会信用代码")} <= columns
    assert not Enterprise.objects_unscoped.exists()
    report = import_file(actor=actor, kind="enterprise_help", path=_write(tmp_path / "g.csv", HELP_HEADERS, rows))
    assert report.ok, report.issues
    assert Enterprise.objects_unscoped.get().name == "遵义聚丰酒业有限公司"
    assert sorted(EnterpriseHelp.objects_unscoped.values_list("village_id", "paid")) == [
        (A1, Decimal("900000.00")), (A2, Decimal("600000.00"))]
    out = tmp_path / "out.xlsx"
    export_to_xlsx(get_template("enterprise_help"), ExportContext(actor=actor, year=2016), out)
    again = import_file(actor=actor, kind="enterprise_help", path=out)
    assert again.ok, again.issues
    assert EnterpriseHelp.objects_unscoped.count() == 2 and "更新 0 条" in again.summary


# --- API ------------------------------------------------------------------------------------------------------

def test_the_api_in_scope_both_ways(world):
    mine = _kin(world, "a", A1)[0]
    theirs = _kin(world, "b", B1)[0]
    client = api_client("county_a")
    listed = client.get("/api/resources/kin-pairings?year=2016").json()
    assert [p["id"] for p in listed["results"]] == [mine.pk] and listed["results"][0]["village_code"] == A1
    assert client.get(f"/api/resources/kin-pairings/{theirs.pk}").status_code == 404
    made = client.post("/api/resources/supports", json.dumps({"kin_pairing_id": mine.pk, "year": 2016,
                                                              "kind": "money", "description": "助学金",
                                                              "amount": "500"}), content_type="application/json")
    assert made.status_code == 201 and made.json()["kind_label"] == "资金"
    refused = client.post("/api/resources/supports", json.dumps({"kin_pairing_id": mine.pk, "year": 2016,
                                                                 "kind": "money", "description": "x", "amount": "0"}),
                          content_type="application/json")
    assert refused.status_code == 400 and "金额应大于0" in refused.json()["message"]
    ended = client.post(f"/api/resources/kin-pairings/{mine.pk}/end", json.dumps({"until": 2016}),
                        content_type="application/json")
    assert ended.status_code == 200 and ended.json()["until"] == 2016
    firm = client.post("/api/resources/enterprises", json.dumps({"name": "遵义恒信物流有限公司", "credit_code": code(3),
                                                                 "region_code": "520302000000"}),
                       content_type="application/json")
    assert firm.status_code == 201
    body = {"enterprise_id": firm.json()["id"], "village_code": A1, "year": 2016, "pledged": "10", "paid": "5"}
    first = client.post("/api/resources/enterprise-helps", json.dumps(body), content_type="application/json")
    second = client.post("/api/resources/enterprise-helps", json.dumps(body | {"paid": "10"}),
                         content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    listed = client.get("/api/resources/enterprises?year=2016").json()["results"]
    assert listed[0]["paid"] == "10.00" and listed[0]["villages"] == 1
    assert api_client("county_b").get(f"/api/resources/enterprises/{firm.json()['id']}").status_code == 404
    assert client.delete(f"/api/resources/kin-pairings/{mine.pk}").status_code == 204


# --- synth ----------------------------------------------------------------------------------------------------

def test_the_synth_pays_the_seeds_total_and_helps_every_poor_village(world):
    from wuzaicun.core.identifiers import credit_code_problem
    from wuzaicun.core.synth import new_context
    from wuzaicun.resources.synth.pairings import generate_pairings, seed_figures

    orgs(world)
    ctx = new_context(scale="city", seed=2016, year=2016)
    generate_pairings(ctx)
    figures = seed_figures(2016)
    assert (figures["projects"], figures["paid"], figures["pledged_below_paid"]) == (2742, Decimal("7180000000.00"), 0)
    assert figures["poor_villages_helped"] == figures["poor_villages"] == 2  # the world's VillageYear rows
    helps = EnterpriseHelp.objects_unscoped.filter(year=2016)
    assert sum(h.paid for h in helps) == Decimal("7180000000.00")
    assert all(h.pledged >= h.paid for h in helps)
    poor = {A1, A2, B1, "520303100202"}  # the tiny city: every 村 is one of its poor villages
    assert set(helps.values_list("village_id", flat=True)) >= poor
    assert all(credit_code_problem(c) is None for c in Enterprise.objects_unscoped.values_list("credit_code", flat=True))
    assert PairingSupport.objects_unscoped.filter(kind="project").count() == 2742
    assert KinPairing.objects_unscoped.filter(household__region_id=A1).exists()
    assert not KinPairing.objects_unscoped.exclude(village_id=F("household__region_id")).exists()  # D46
    assert BranchPairing.objects_unscoped.filter(helped__region_id=A1).exists()
    county = {(h.enterprise.credit_code, h.village_id, h.paid) for h in helps.filter(village__code__within="520302")
              .select_related("enterprise")}
    generate_pairings(new_context(scale="city", seed=2016, year=2016))  # a rerun adds nothing
    assert EnterpriseHelp.objects_unscoped.count() == helps.count()
    # a county run writes what the city run wrote for that county
    EnterpriseHelp.objects_unscoped.all().delete()
    PairingSupport.objects_unscoped.all().delete()
    KinPairing.objects_unscoped.all().delete()
    BranchPairing.objects_unscoped.all().delete()
    Enterprise.objects_unscoped.all().delete()
    generate_pairings(new_context(scale="city", seed=2016, year=2016, prefix="520302"))
    again = {(h.enterprise.credit_code, h.village_id, h.paid) for h in EnterpriseHelp.objects_unscoped
             .select_related("enterprise")}
    assert again == county


def test_the_organisation_pickers_offer_each_side_in_scope(world, client_for):
    orgs(world)
    client = client_for("county_a")
    helper = client.post("/resources/pairings/pick/helper/", {"picker": "helper_id", "helper_id_search": "中共"})
    assert "中共老城街道委员会" in helper.text and "中共甲村支部委员会" not in helper.text
    assert "中共高坪镇委员会" not in helper.text  # the other county's
    village = client.post("/resources/pairings/pick/village/", {"picker": "helped_id", "helped_id_search": "甲村"})
    assert "中共甲村支部委员会" in village.text and "中共老城街道委员会" not in village.text
    assert client.post("/resources/pairings/pick/other/", {"picker": "x"}).status_code == 404


def test_the_enterprises_list_costs_the_same_queries_for_more_and_exports_its_filtered_set(world, client_for, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    actor = world.users["county_a"]
    first = save_enterprise(actor=actor, name="遵义绿源茶业有限公司", credit_code=code(20), region_code="520302000000")
    record_help(actor=actor, enterprise_id=first.pk, village_code=A1, year=2016, pledged=Decimal(5), paid=Decimal(5))
    client = client_for("county_a")
    client.get("/resources/enterprises/")
    with CaptureQueriesContext(connection) as one:
        client.get("/resources/enterprises/?year=2016")
    for i in range(3):
        more = save_enterprise(actor=actor, name=f"遵义宏达物流{i}有限公司", credit_code=code(21 + i),
                               region_code="520302000000")
        record_help(actor=actor, enterprise_id=more.pk, village_code=A2, year=2016, pledged=Decimal(1),
                    paid=Decimal(1))
    with CaptureQueriesContext(connection) as four:
        page = client.get("/resources/enterprises/?year=2016")
    assert "共 4 条" in page.text and len(four) == len(one)
    out = tmp_path / "helps.xlsx"
    export_to_xlsx(get_template("enterprise_help"), ExportContext(actor=actor, year=2016, filters={"q": "绿源"}), out)
    sheet = load_workbook(out).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "遵义绿源茶业有限公司" in names and not any(str(n).startswith("遵义宏达物流") for n in names)
