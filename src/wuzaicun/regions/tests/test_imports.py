"""The regions and villages templates: parents first, renames, scope, the year, village facts upserted."""

from __future__ import annotations

import pytest

from wuzaicun.core.errors import PermissionDenied
from wuzaicun.regions.models import Region, VillageYear
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.tests import sheets
from wuzaicun.tabular.tests.sheets import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1

REGION_HEADERS = ["区划代码", "名称", "城乡分类代码"]
VILLAGE_HEADERS = ["年度", "区划代码", "贫困村", "出列年度", "软弱涣散", "少数民族村", "示范点"]


def import_regions(world, tmp_path, lines, *, user="county_a"):
    path = sheets.write_csv(tmp_path / "区划.csv", [REGION_HEADERS, *lines])
    return import_file(actor=world.users[user], kind="regions", path=path)


def import_villages(world, tmp_path, rows, *, user="county_a", year=None, name="村情.csv"):
    lines = [VILLAGE_HEADERS, *([row.get(h, "") for h in VILLAGE_HEADERS] for row in rows)]
    path = sheets.write_csv(tmp_path / name, lines)
    return import_file(actor=world.users[user], kind="villages", path=path, year=year)


def village(code=VILLAGE_A1, **overrides):
    return {"年度": 2016, "区划代码": code, "贫困村": "是", "出列年度": "", "软弱涣散": "否", "少数民族村": "否",
            "示范点": ""} | overrides


def issues(report):
    return [(i.line, i.column, i.message) for i in report.issues]


# ---------------------------------------------------------------- regions


def test_a_new_region_under_a_known_parent_is_added_at_the_right_level(world, tmp_path):
    report = import_regions(world, tmp_path, [["520302001003", "丙组村", "220"]])

    assert report.ok, report.issues
    added = Region.objects_unscoped.get(code="520302001003")
    assert (added.name, added.level, added.parent_id, added.urban_rural_code) == ("丙组村", 5, "520302001000", "220")


def test_a_new_region_needs_its_parent_in_the_system_or_earlier_in_the_file(world, tmp_path):
    refused = import_regions(world, tmp_path, [["520302002001", "新村"], ["520302002000", "新镇"]])

    assert issues(refused) == [(2, "区划代码", "上级区划“520302002000”不存在（上级须已在系统中或在本文件中排在前面）")]
    assert not Region.objects_unscoped.filter(code__in=["520302002000", "520302002001"]).exists()

    accepted = import_regions(world, tmp_path, [["520302002000", "新镇"], ["520302002001", "新村"]])
    assert accepted.ok, accepted.issues
    assert Region.objects_unscoped.get(code="520302002001").parent_id == "520302002000"


def test_an_existing_code_is_renamed_not_duplicated(world, tmp_path):
    count = Region.objects_unscoped.count()

    report = import_regions(world, tmp_path, [[VILLAGE_A1, "甲村（更名）"]])

    assert report.ok and report.summary == "（新增 0，更名 1）"
    assert Region.objects_unscoped.get(code=VILLAGE_A1).name == "甲村（更名）"
    assert Region.objects_unscoped.count() == count


def test_a_code_twice_in_the_file_is_refused_naming_the_first_line(world, tmp_path):
    report = import_regions(world, tmp_path, [["520302001003", "一"], ["520302001003", "二"]])

    assert issues(report) == [(3, "区划代码", "与第2行的区划代码重复")]


@pytest.mark.parametrize("code", ["52030200100", "5203020010011", "52030200100X"])
def test_a_code_that_is_not_twelve_digits_is_refused(world, tmp_path, code):
    report = import_regions(world, tmp_path, [[code, "某村"]])

    assert issues(report) == [(2, "区划代码", f"“{code}”不是12位统计用区划代码")]


def test_regions_outside_the_scope_are_refused_both_ways(world, tmp_path):
    assert issues(import_regions(world, tmp_path, [[VILLAGE_B1, "改名"]], user="county_a"))[0][:2] == (2, "区划代码")
    assert issues(import_regions(world, tmp_path, [[VILLAGE_A1, "改名"]], user="county_b"))[0][:2] == (2, "区划代码")
    assert Region.objects_unscoped.get(code=VILLAGE_B1).name == "丙村"
    assert Region.objects_unscoped.get(code=VILLAGE_A1).name == "甲村"
    assert import_regions(world, tmp_path, [[VILLAGE_B1, "丙村新名"]], user="county_b").ok


def test_a_township_admin_may_not_import_regions(world, tmp_path):
    with pytest.raises(PermissionDenied):
        import_regions(world, tmp_path, [["520302001003", "丙组村"]], user="township_a")


# ---------------------------------------------------------------- villages


def test_village_facts_are_upserted_on_reimport(world, tmp_path):
    count = VillageYear.objects_unscoped.count()
    first = import_villages(world, tmp_path, [village(贫困村="是", 软弱涣散="是", 示范点="市级"),
                                              village(VILLAGE_A2, 年度=2017, 贫困村="否")], year=None)
    assert first.ok, first.issues
    assert VillageYear.objects_unscoped.count() == count + 1  # 2016 existed already; 2017 is new
    facts = VillageYear.objects_unscoped.get(village_id=VILLAGE_A1, year=2016)
    assert (facts.is_poor, facts.is_weak_organisation, facts.demonstration) == (True, True, "city")

    again = import_villages(world, tmp_path, [village(贫困村="是", 出列年度=2017, 软弱涣散="否", 示范点="")],
                            name="again.csv")

    assert again.ok, again.issues
    facts.refresh_from_db()
    assert (facts.is_poor, facts.exit_year, facts.is_weak_organisation, facts.demonstration) == (True, 2017, False, "")
    assert VillageYear.objects_unscoped.count() == count + 1


def test_a_row_for_another_year_than_the_one_chosen_is_refused(world, tmp_path):
    report = import_villages(world, tmp_path, [village(年度=2016), village(年度=2017)], year=2016)

    assert issues(report) == [(3, "年度", "年度 2017 与导入时指定的 2016 不一致")]
    assert not VillageYear.objects_unscoped.filter(year=2017).exists()


@pytest.mark.parametrize("code", ["520302001000", "520302000000"])
def test_a_code_that_is_not_a_village_is_refused(world, tmp_path, code):
    report = import_villages(world, tmp_path, [village(code)])

    assert issues(report) == [(2, "区划代码", f"“{code}”不是村级区划代码，或不在您的管辖范围内")]


def test_an_exit_year_for_a_village_that_is_not_poor_is_refused(world, tmp_path):
    report = import_villages(world, tmp_path, [village(贫困村="否", 出列年度=2017)])

    assert issues(report) == [(2, "出列年度", "只有贫困村才有出列年度")]


def test_bad_yes_no_and_demonstration_values_are_refused_in_chinese(world, tmp_path):
    report = import_villages(world, tmp_path, [village(贫困村="可能", 示范点="国家级")])

    assert issues(report) == [
        (2, "贫困村", "“可能”应填“是”或“否”"),
        (2, "示范点", "“国家级”不是可选值（省级、市级、县级或留空）"),
    ]


def test_villages_outside_the_scope_are_refused_both_ways(world, tmp_path):
    assert issues(import_villages(world, tmp_path, [village(VILLAGE_B1)], user="county_a"))[0][:2] == (2, "区划代码")
    assert issues(import_villages(world, tmp_path, [village(VILLAGE_A1)], user="county_b"))[0][:2] == (2, "区划代码")
    assert import_villages(world, tmp_path, [village(VILLAGE_B1, 软弱涣散="是")], user="county_b").ok
    assert VillageYear.objects_unscoped.get(village_id=VILLAGE_B1, year=2016).is_weak_organisation


def test_the_same_village_and_year_twice_in_a_file_is_refused(world, tmp_path):
    report = import_villages(world, tmp_path, [village(), village(贫困村="否")])

    assert issues(report) == [(3, "区划代码", "与第2行重复（同一村同一年度）")]
