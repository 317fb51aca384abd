"""The assignments template: checks as the form, merge of rows into entries, all-or-nothing, scope."""

from __future__ import annotations

import csv
from pathlib import Path

from wuzaicun.core.operator import OPERATOR
from wuzaicun.registry.models import LeadershipTeam
from wuzaicun.responsibility.models import Assignment, AssignmentHousehold
from wuzaicun.tabular.services import import_file
from wuzaicun.testing import factories
from wuzaicun.testing.lists import VILLAGE, YEAR

HEADER = ["年度", "清单类型", "责任人身份证号", "责任主体", "区划代码", "帮扶户身份证号", "职责", "目标"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_rows_of_one_helper_merge_into_one_entry_with_its_households(world, year_open, tmp_path):
    member = factories.person(world.regions[VILLAGE], name="助村党员", rank="农村党员")
    number = member.reveal_resident_id()
    h1, h2, h3 = (h.reveal_resident_id() for h in world.households[VILLAGE])
    path = _write(tmp_path / "a.csv", [
        [str(YEAR), "助村", number, "", VILLAGE, h1, "走访、结对", ""],
        [str(YEAR), "助村", number, "", VILLAGE, f"{h2}、{h3}", "走访", ""],
    ])
    report = import_file(actor=world.users["county_a"], kind="assignments", path=path, year=YEAR)
    assert report.ok, report.issues
    entry = Assignment.objects_unscoped.get(person=member)
    assert entry.kind == "helper" and entry.duties == ["走访", "结对"]
    assert AssignmentHousehold.objects_unscoped.filter(assignment=entry).count() == 3


def test_bad_rows_are_named_and_nothing_is_written(world, year_open, tmp_path):
    plain = factories.person(world.regions[VILLAGE], name="群众甲", political_status="群众", rank="村干部")
    member = factories.person(world.regions[VILLAGE], name="党员乙", rank="农村党员")
    household = world.households[VILLAGE][0].reveal_resident_id()
    other_county = world.households["520303100201"][0].reveal_resident_id()
    LeadershipTeam.objects_unscoped.create(name="县委班子", region=world.regions["520302000000"])
    path = _write(tmp_path / "b.csv", [
        [str(YEAR), "帮村", "", "县委班子", VILLAGE, "", "学习贯彻", ""],  # fine
        [str(YEAR), "助村", plain.reveal_resident_id(), "", VILLAGE, household, "走访", ""],  # not a party member
        [str(YEAR), "带村", member.reveal_resident_id(), "", VILLAGE, "", "带领", ""],  # not 能人党员
        [str(YEAR), "助村", member.reveal_resident_id(), "", VILLAGE, other_county, "走访", ""],  # out of scope
        [str(YEAR), "帮村", "", "不存在的班子", VILLAGE, "", "", ""],
        [str(YEAR), "帮村", "", "县委班子", VILLAGE, "", "学习贯彻", ""],  # exact duplicate of row 2
        ["2030", "联村", member.reveal_resident_id(), "", VILLAGE, "", "", ""],  # year not open
        [str(YEAR), "驻村", member.reveal_resident_id(), "", "520303100201", "", "", ""],  # village out of scope
    ])
    report = import_file(actor=world.users["county_a"], kind="assignments", path=path, year=None)
    found = {(i.line, i.column) for i in report.issues}
    assert found == {(3, "责任人身份证号"), (4, "责任人身份证号"), (5, "帮扶户身份证号"), (6, "责任主体"),
                     (7, "责任人身份证号"), (8, "年度"), (9, "区划代码")}
    messages = {i.line: i.message for i in report.issues}
    assert "党员" in messages[3] and "能人党员" in messages[4] and "第2行" in messages[7]
    assert Assignment.objects_unscoped.count() == 0


def test_a_helped_household_must_be_poor(world, year_open, tmp_path):
    member = factories.person(world.regions[VILLAGE], name="党员丙", rank="农村党员")
    household = world.households[VILLAGE][0]
    household.__class__.objects_unscoped.filter(pk=household.pk).update(status="已脱贫", exit_year=2015)
    path = _write(tmp_path / "c.csv", [[str(YEAR), "助村", member.reveal_resident_id(), "", VILLAGE,
                                        household.reveal_resident_id(), "走访", ""]])
    report = import_file(actor=OPERATOR, kind="assignments", path=path, year=YEAR)
    assert [(i.column, i.message) for i in report.issues] == [("帮扶户身份证号", "帮扶户须为未脱贫的贫困户")]


def test_export_writes_the_list_back_in_the_same_columns(world, year_open, tmp_path):
    from openpyxl import load_workbook

    from wuzaicun.testing.lists import cover_village

    cover_village(world, VILLAGE)
    target = tmp_path / "list.xlsx"
    from wuzaicun.tabular.engine import export_to_xlsx
    from wuzaicun.tabular.registry import get_template
    from wuzaicun.tabular.spec import ExportContext

    count = export_to_xlsx(get_template("assignments"), ExportContext(actor=world.users["county_b"], year=YEAR), target)
    assert count == 0
    count = export_to_xlsx(get_template("assignments"), ExportContext(actor=world.users["county_a"], year=YEAR), target)
    assert count == 6
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:8]) == HEADER
    assert {r[1] for r in rows[1:]} == {"帮村", "联村", "驻村", "助村"}


def test_without_a_goal_type_column_the_goal_type_comes_from_the_goal_text(world, year_open, tmp_path):
    from wuzaicun.responsibility.coverage import coverage_report
    from wuzaicun.responsibility.rules import goal_kind_from_text
    from wuzaicun.tabular.services import preview_rows

    assert goal_kind_from_text("发展辣椒产业，兴办专业合作社1个") == "发展产业"
    assert goal_kind_from_text("兴办茶叶加工厂") == "兴办实体"
    assert goal_kind_from_text("帮助群众办实事") == ""
    secretaries = [factories.person(world.regions[VILLAGE], name=f"第一书记{i}", rank="一般干部") for i in range(3)]
    goals = ["发展辣椒产业，兴办专业合作社1个", "建设茶叶基地", "做好群众工作"]
    path = _write(tmp_path / "a.csv", [
        [str(YEAR), "驻村", s.reveal_resident_id(), "", VILLAGE, "", "宣传政策", goal]
        for s, goal in zip(secretaries, goals, strict=True)
    ])
    headers, sample = preview_rows("assignments", path)
    assert headers[-1] == "目标类型（按目标推断）" and [row[-1] for row in sample] == ["发展产业", "兴办实体", ""]
    report = import_file(actor=world.users["county_a"], kind="assignments", path=path, year=YEAR)
    assert report.ok, report.issues
    kinds = dict(Assignment.objects_unscoped.filter(kind="stationed").values_list("person__name", "goal_kind"))
    assert kinds == {"第一书记0": "industry", "第一书记1": "entity", "第一书记2": ""}
    gaps = [g for g in coverage_report(world.users["county_a"], year=YEAR, region=None).gaps
            if g.rule == "zhucun_goal_industry"]
    assert len(gaps) == 1  # only the goal that names neither an industry nor an entity
