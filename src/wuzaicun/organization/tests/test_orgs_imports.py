"""The `organizations` template: exactly the contract's headers, parents by name in the file or in scope,
secretaries who are party members, the tree's rules, all or nothing, updates in scope, a round trip."""

from __future__ import annotations

import io
from typing import Any

from wuzaicun.organization.models.orgs import PartyOrganisation
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext
from wuzaicun.tabular.tests import sheets
from wuzaicun.testing import factories

from .test_orgs_services import A1, A2, B1, TOWNSHIP_A, org_tree

HEADERS = ["组织名称", "组织类型", "类别", "上级组织", "区划代码", "书记身份证号", "成立日期"]


def run(world: Any, tmp_path: Any, rows: list[dict[str, Any]], *, user: str = "county_a",
        headers: list[str] = HEADERS) -> Any:
    path = sheets.write_csv(tmp_path / "orgs.csv", sheets.table(headers, rows))
    return import_file(actor=world.users[user], kind="organizations", path=path)


def issues(report: Any) -> list[tuple[int, str, str]]:
    return [(i.line, i.column, i.message) for i in report.issues]


def row(name: str, region: str, *, org_type: str = "党支部", category: str = "村党组织", parent: str = "",
        secretary: str = "", founded: str = "") -> dict[str, Any]:
    return {"组织名称": name, "组织类型": org_type, "类别": category, "上级组织": parent, "区划代码": region,
            "书记身份证号": secretary, "成立日期": founded}


def test_the_template_has_exactly_the_contract_headers():
    assert get_template("organizations").headers[:7] == HEADERS


def test_a_tree_is_imported_with_parents_named_in_the_file(world, tmp_path):
    secretary = world.people[A1][0]
    report = run(world, tmp_path, [
        row("中共老城街道委员会", TOWNSHIP_A, org_type="党委", category="其他"),
        row("中共甲村支部委员会", A1, parent="中共老城街道委员会", secretary=secretary.reveal_resident_id(),
            founded="2001/7/1"),
        row("中共乙村总支部委员会", A2, org_type="党总支", parent="中共老城街道委员会"),
    ])
    assert report.ok, report.issues
    top = PartyOrganisation.objects_unscoped.get(name="中共老城街道委员会")
    branch = PartyOrganisation.objects_unscoped.get(name="中共甲村支部委员会")
    assert (branch.parent_id, branch.secretary_id, str(branch.founded_on)) == (top.pk, secretary.pk, "2001-07-01")
    assert PartyOrganisation.objects_unscoped.get(region_id=A2).org_type == "general_branch"


def test_a_parent_registered_in_scope_is_found_and_a_row_updates_by_region_and_name(world, tmp_path):
    orgs = org_tree(world)
    report = run(world, tmp_path, [
        row("中共乙村支部委员会", A2, parent=orgs["top"].name),
        row(orgs["branch"].name, A1, org_type="党总支", parent=orgs["top"].name),
    ])
    assert report.ok, report.issues
    assert PartyOrganisation.objects_unscoped.get(region_id=A2).parent_id == orgs["top"].pk
    updated = PartyOrganisation.objects_unscoped.get(pk=orgs["branch"].pk)
    assert (updated.org_type, updated.version, updated.secretary_id) == ("general_branch", 2, None)
    assert "新增 1，更新 1" in report.summary


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(world, tmp_path):
    b = org_tree(world, "b")
    outsider = factories.person(world.regions[A1], name="郑群众", political_status="群众")
    unknown = sheets.new_resident_id("520302")
    masked = world.people[A1][0].resident_id_masked
    report = run(world, tmp_path, [
        row("中共甲村支部委员会", A1),  # line 2: fine
        row("中共甲村党小组", A1, parent="中共甲村支部委员会"),  # 3: a branch has no children
        row("中共丙村支部委员会", B1),  # 4: out of scope
        row("中共乙村支部委员会", A2, parent=b["top"].name),  # 5: parent out of scope
        row("中共乙村第二支部委员会", A2, secretary=outsider.reveal_resident_id()),  # 6: not a party member
        row("中共乙村第三支部委员会", A2, secretary=unknown),  # 7: not registered
        row("中共乙村第四支部委员会", A2, secretary=masked),  # 8: masked
        row("中共甲村支部委员会", A1),  # 9: repeated
        row("中共乙村第五支部委员会", A2, parent="中共乙村第六支部委员会"),  # 10: parent only further down
        row("中共乙村第六支部委员会", A2, org_type="党总支"),
        row("中共甲村电商支部委员会", A1, category="电商特色党支部"),  # 12: no product
        row("中共甲村某组织", A1, org_type="党小组"),  # 13: not a type
    ])
    assert not report.ok
    found = issues(report)
    by_line = {line: (column, message) for line, column, message in found}
    assert "党支部不能设下级组织" in by_line[3][1] and by_line[3][0] == "上级组织"
    assert by_line[4][0] == "区划代码" and "不在您的管辖范围内" in by_line[4][1]
    assert by_line[5][0] == "上级组织" and "不存在" in by_line[5][1]
    assert by_line[6][0] == "书记身份证号" and "郑群众" in by_line[6][1] and "不是中共党员" in by_line[6][1]
    assert by_line[7][0] == "书记身份证号" and "未登记" in by_line[7][1]
    assert by_line[8][0] == "书记身份证号" and "脱敏" in by_line[8][1]
    assert "与第2行的组织重复" in by_line[9][1]
    assert "排在本行之前" in by_line[10][1]
    assert "特色产品" in by_line[12][1]
    assert by_line[13][0] == "组织类型" and "不是可选值" in by_line[13][1]
    assert 2 not in by_line and 11 not in by_line
    assert not PartyOrganisation.objects_unscoped.filter(region_id__in=[A1, A2]).exists()


def test_county_b_cannot_update_county_a_by_naming_it(world, tmp_path):
    orgs = org_tree(world, "a")
    report = run(world, tmp_path, [row(orgs["branch"].name, A1)], user="county_b")
    assert issues(report)[0][1] == "区划代码"
    assert PartyOrganisation.objects_unscoped.get(pk=orgs["branch"].pk).version == 1


def test_an_optional_product_column_sets_the_product(world, tmp_path):
    orgs = org_tree(world)
    report = run(world, tmp_path, [{**row("中共甲村辣椒电商支部委员会", A1, category="电商特色党支部",
                                           parent=orgs["top"].name), "特色产品": "辣椒"}],
                 headers=[*HEADERS, "特色产品"])
    assert report.ok, report.issues
    assert PartyOrganisation.objects_unscoped.get(category="ecommerce").product == "辣椒"


def test_a_full_id_export_imports_back_unchanged(world, tmp_path):
    org_tree(world)
    save = tmp_path / "orgs.xlsx"
    ctx = ExportContext(actor=world.users["county_a"], full_ids=True, reason="核对")
    export_to_xlsx(get_template("organizations"), ctx, save)
    before = list(PartyOrganisation.objects_unscoped.order_by("pk").values_list(
        "name", "org_type", "category", "parent_id", "region_id", "secretary_id"))
    report = import_file(actor=world.users["county_a"], kind="organizations", path=save)
    assert report.ok, report.issues
    assert list(PartyOrganisation.objects_unscoped.order_by("pk").values_list(
        "name", "org_type", "category", "parent_id", "region_id", "secretary_id")) == before
    assert "更新 2" in report.summary


def test_a_masked_export_refuses_its_secretary_numbers(world, tmp_path):
    org_tree(world)
    save = tmp_path / "orgs.xlsx"
    export_to_xlsx(get_template("organizations"), ExportContext(actor=world.users["county_a"]), save)
    report = import_file(actor=world.users["county_a"], kind="organizations", path=save)
    assert [(c, "脱敏" in m) for _, c, m in issues(report)] == [("书记身份证号", True)]


def test_the_command_line_imports_and_exports_the_template(world, tmp_path):
    from django.core.management import call_command

    path = sheets.write_csv(tmp_path / "orgs.csv", sheets.table(HEADERS, [
        row("中共老城街道委员会", TOWNSHIP_A, org_type="党委", category="其他"),
        row("中共甲村支部委员会", A1, parent="中共老城街道委员会")]))
    call_command("import", "organizations", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert PartyOrganisation.objects_unscoped.get(region_id=A1).parent.name == "中共老城街道委员会"
    target = tmp_path / "out.csv"
    call_command("export", "organizations", "--region", "520302", "-o", str(target), stdout=io.StringIO(),
                 stderr=io.StringIO())
    text = target.read_text(encoding="utf-8-sig")
    assert text.index("中共老城街道委员会") < text.index("中共甲村支部委员会")
