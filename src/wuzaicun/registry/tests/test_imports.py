"""The households and people templates: encrypted IDs, ID checks, duplicates, scope both ways, round trips."""

from __future__ import annotations

import pytest
from django.db import connection

from wuzaicun.registry.models import Household, Person, Unit
from wuzaicun.tabular.engine import export_to_xlsx
from wuzaicun.tabular.registry import get_template
from wuzaicun.tabular.services import import_file
from wuzaicun.tabular.spec import ExportContext
from wuzaicun.tabular.tests import sheets
from wuzaicun.tabular.tests.sheets import (
    HOUSEHOLD_HEADERS,
    PEOPLE_HEADERS,
    VILLAGE_A1,
    VILLAGE_A2,
    VILLAGE_B1,
)


def import_households(world, tmp_path, rows, *, user="county_a", name="户.csv"):
    path = sheets.write_csv(tmp_path / name, sheets.table(HOUSEHOLD_HEADERS, rows))
    return import_file(actor=world.users[user], kind="households", path=path)


def import_people(world, tmp_path, rows, *, user="county_a", name="人.csv"):
    path = sheets.write_csv(tmp_path / name, sheets.table(PEOPLE_HEADERS, rows))
    return import_file(actor=world.users[user], kind="people", path=path)


def issues(report):
    return [(i.line, i.column, i.message) for i in report.issues]


def stored_household(number: str) -> Household:
    from wuzaicun.registry.fields import resident_id_hash

    return Household.objects_unscoped.get(resident_id_hash=resident_id_hash(number))


# ---------------------------------------------------------------- households


def test_households_are_imported_with_the_id_encrypted_masked_and_recoverable(world, tmp_path):
    number = sheets.new_resident_id("520302")
    row = sheets.household(VILLAGE_A2, number, 户主姓名="王二", 家庭人口=5, 贫困状态="已脱贫", 识别年度=2014,
                           脱贫年度=2016, 致贫原因="缺技术", 人均纯收入="3456.7")

    report = import_households(world, tmp_path, [row])

    assert report.ok, report.issues
    household = stored_household(number)
    assert (household.region_id, household.head_name, household.members, household.status) == (
        VILLAGE_A2, "王二", 5, "已脱贫")
    assert (household.identified_year, household.exit_year, household.cause) == (2014, 2016, "缺技术")
    assert str(household.income_per_head) == "3456.70"
    assert household.resident_id_masked == f"{number[:6]}********{number[-4:]}"
    assert household.reveal_resident_id() == number
    with connection.cursor() as cursor:
        cursor.execute("SELECT resident_id_sealed, resident_id_hash FROM registry_household WHERE id = %s",
                       [household.pk])
        sealed, digest = cursor.fetchone()
    assert number.encode() not in bytes(sealed) and number[6:].encode() not in bytes(sealed)
    assert number not in digest


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("bad check digit", "身份证号校验码错误"),
        ("520302199002301234", "身份证号出生日期“19900230”无效"),
        ("52030219900101123", "身份证号应为18位，实为17位"),
        ("5203021990010112345", "身份证号应为18位，实为19位"),
        ("52030219900101123A", "身份证号只能由17位数字加1位数字或X组成"),
    ],
)
def test_invalid_resident_ids_are_reported_in_the_id_column(world, tmp_path, typed, message):
    if typed == "bad check digit":
        valid = sheets.new_resident_id()
        typed = valid[:17] + ("1" if valid[17] == "0" else "0")

    report = import_households(world, tmp_path, [sheets.household(resident_id=typed)])

    assert issues(report) == [(2, "身份证号", message)]


def test_a_number_repeated_in_the_file_names_the_first_row_that_holds_it(world, tmp_path):
    number = sheets.new_resident_id()
    rows = [sheets.household(resident_id=number), sheets.household(), sheets.household(resident_id=number),
            sheets.household(resident_id=number.lower())]

    report = import_households(world, tmp_path, rows)

    assert issues(report) == [
        (4, "身份证号", "与第2行的身份证号重复"),
        (5, "身份证号", "与第2行的身份证号重复"),
    ]
    assert not Household.objects_unscoped.filter(head_name="张德明").exists()


def test_county_a_cannot_import_into_county_b_but_county_b_can(world, tmp_path):
    row = sheets.household(VILLAGE_B1, sheets.new_resident_id("520303"), 户主姓名="丙村新户")

    refused = import_households(world, tmp_path, [row], user="county_a")
    assert issues(refused) == [(2, "区划代码", f"“{VILLAGE_B1}”不是村级区划代码，或不在您的管辖范围内")]
    assert not Household.objects_unscoped.filter(head_name="丙村新户").exists()

    accepted = import_households(world, tmp_path, [row], user="county_b")
    assert accepted.ok, accepted.issues
    assert Household.objects_unscoped.get(head_name="丙村新户").region_id == VILLAGE_B1


def test_county_b_cannot_import_into_county_a_but_county_a_can(world, tmp_path):
    row = sheets.household(VILLAGE_A1, 户主姓名="甲村新户")

    assert issues(import_households(world, tmp_path, [row], user="county_b"))[0][:2] == (2, "区划代码")
    assert not Household.objects_unscoped.filter(head_name="甲村新户").exists()
    assert import_households(world, tmp_path, [row], user="county_a").ok


def test_a_number_registered_in_another_county_is_refused_and_left_untouched(world, tmp_path):
    theirs = world.households[VILLAGE_B1][0]
    row = sheets.household(VILLAGE_A1, theirs.reveal_resident_id(), 户主姓名="冒名")

    report = import_households(world, tmp_path, [row], user="county_a")

    assert issues(report) == [(2, "身份证号", "该身份证号无法在此登记，请联系上级管理员核对")]
    theirs.refresh_from_db()
    assert theirs.head_name != "冒名" and theirs.region_id == VILLAGE_B1


def test_a_non_village_code_is_refused(world, tmp_path):
    report = import_households(world, tmp_path, [sheets.household("520302001000")])

    assert issues(report)[0][:2] == (2, "区划代码")


def test_exited_without_an_exit_year_is_refused(world, tmp_path):
    rows = [sheets.household(贫困状态="已脱贫", 脱贫年度=""), sheets.household(贫困状态="未脱贫", 脱贫年度=2016),
            sheets.household(贫困状态="已脱贫", 识别年度=2016, 脱贫年度=2015)]

    report = import_households(world, tmp_path, rows)

    assert issues(report) == [
        (2, "脱贫年度", "贫困状态为“已脱贫”时必须填写脱贫年度"),
        (3, "脱贫年度", "贫困状态为“未脱贫”时不应填写脱贫年度"),
        (4, "脱贫年度", "脱贫年度 2015 早于识别年度 2016"),
    ]


def test_a_name_longer_than_the_column_is_refused_not_cut(world, tmp_path):
    report = import_households(world, tmp_path, [sheets.household(户主姓名="长" * 51)])

    assert issues(report) == [(2, "户主姓名", "不能超过50个字（实为51个）")]


def test_export_then_reimport_changes_nothing_and_duplicates_nothing(world, tmp_path):
    county_a = world.users["county_a"]
    before = {h.pk: (h.region_id, h.head_name, h.resident_id_hash, h.members, h.status, h.identified_year,
                     h.exit_year, h.cause, h.income_per_head)
              for h in Household.objects_unscoped.all()}
    exported = tmp_path / "households.xlsx"
    count = export_to_xlsx(get_template("households"), ExportContext(actor=county_a, full_ids=True, reason="核对"), exported)
    assert count == 6  # county A's two villages, three households each

    report = import_file(actor=county_a, kind="households", path=exported)

    assert report.ok, report.issues
    assert report.summary == "（新增 0，更新 6）"
    after = {h.pk: (h.region_id, h.head_name, h.resident_id_hash, h.members, h.status, h.identified_year,
                    h.exit_year, h.cause, h.income_per_head)
             for h in Household.objects_unscoped.all()}
    assert after == before
    assert all(h.reveal_resident_id() for h in Household.objects_unscoped.all())


def test_reimporting_a_number_in_scope_updates_that_household_and_bumps_its_version(world, tmp_path):
    ours = world.households[VILLAGE_A1][0]
    row = sheets.household(VILLAGE_A2, ours.reveal_resident_id(), 户主姓名="改名", 家庭人口=2)

    report = import_households(world, tmp_path, [row])

    assert report.ok and report.summary == "（新增 0，更新 1）"
    updated = Household.objects_unscoped.get(pk=ours.pk)
    assert (updated.head_name, updated.members, updated.region_id) == ("改名", 2, VILLAGE_A2)
    assert updated.version == ours.version + 1
    assert Household.objects_unscoped.filter(resident_id_hash=ours.resident_id_hash).count() == 1


# ---------------------------------------------------------------- people


def test_people_are_imported_with_id_and_phone_encrypted(world, tmp_path):
    number = sheets.new_resident_id(male=False)
    row = sheets.person(resident_id=number, 姓名="李芳", 性别="", 联系电话="13812345678", 政治面貌="")

    report = import_people(world, tmp_path, [row])

    assert report.ok, report.issues
    person = Person.objects_unscoped.get(name="李芳")
    assert person.sex == "女"  # read from the ID when left blank
    assert person.political_status == "群众"
    assert person.resident_id_masked == f"{number[:6]}********{number[-4:]}"
    assert person.reveal_resident_id() == number
    assert person.phone_masked == "138****5678" and person.reveal_phone() == "13812345678"
    assert b"13812345678" not in bytes(person.phone_sealed)


def test_a_sex_that_contradicts_the_id_is_refused(world, tmp_path):
    number = sheets.new_resident_id(male=True)

    report = import_people(world, tmp_path, [sheets.person(resident_id=number, 性别="女")])

    assert issues(report) == [(2, "性别", "性别“女”与身份证号不符")]


def test_an_invalid_phone_is_refused(world, tmp_path):
    report = import_people(world, tmp_path, [sheets.person(联系电话="12345")])

    assert issues(report) == [(2, "联系电话", "“12345”不是有效的手机号或座机号")]


def test_a_unit_is_created_once_per_name_and_reused_afterwards(world, tmp_path):
    rows = [sheets.person(工作单位="红花岗区委组织部") for _ in range(3)] + [sheets.person(工作单位="老城街道办事处")]

    assert import_people(world, tmp_path, rows).ok
    assert import_people(world, tmp_path, [sheets.person(工作单位="红花岗区委组织部")], name="again.csv").ok

    units = Unit.objects_unscoped.filter(region_id=VILLAGE_A1)
    assert sorted(units.values_list("name", flat=True)) == ["红花岗区委组织部", "老城街道办事处"]
    organisation = units.get(name="红花岗区委组织部")
    assert Person.objects_unscoped.filter(unit=organisation).count() == 4


def test_a_refused_people_file_leaves_no_unit_behind(world, tmp_path):
    rows = [sheets.person(工作单位="新单位"), sheets.person(性别="未知")]

    assert not import_people(world, tmp_path, rows).ok
    assert not Unit.objects_unscoped.filter(name="新单位").exists()


def test_people_scope_both_ways(world, tmp_path):
    row = sheets.person(VILLAGE_B1, sheets.new_resident_id("520303"), 姓名="丙村干部")

    assert issues(import_people(world, tmp_path, [row], user="county_a"))[0][:2] == (2, "区划代码")
    assert import_people(world, tmp_path, [row], user="county_b").ok
    assert Person.objects_unscoped.get(name="丙村干部").region_id == VILLAGE_B1


def test_people_round_trip_through_export(world, tmp_path):
    county_a = world.users["county_a"]
    before = sorted(Person.objects_unscoped.values_list("id", "name", "sex", "region_id", "rank"))
    exported = tmp_path / "people.xlsx"
    export_to_xlsx(get_template("people"), ExportContext(actor=county_a, full_ids=True, reason="核对"), exported)

    report = import_file(actor=county_a, kind="people", path=exported)

    assert report.ok, report.issues
    assert sorted(Person.objects_unscoped.values_list("id", "name", "sex", "region_id", "rank")) == before


def test_a_masked_people_export_reimported_names_the_masked_id_and_phone(world, tmp_path):
    county_a = world.users["county_a"]
    person = Person.objects_unscoped.filter(region__code__within="520302").order_by("region_id", "id").first()
    Person.objects_unscoped.filter(pk=person.pk).update(**_sealed_phone("13812345678"))
    exported = tmp_path / "people.xlsx"
    export_to_xlsx(get_template("people"), ExportContext(actor=county_a), exported)
    before = sorted(Person.objects_unscoped.values_list("id", "version"))

    report = import_file(actor=county_a, kind="people", path=exported)

    assert not report.ok and report.failed_lines == report.total_rows == 4
    assert issues(report)[:2] == [
        (2, "身份证号", "身份证号已脱敏，无法导入，请使用完整身份证号导出"),
        (2, "联系电话", "联系电话已脱敏，无法导入，请使用完整身份证号导出（含完整联系电话）"),
    ]
    assert sorted(Person.objects_unscoped.values_list("id", "version")) == before


def _sealed_phone(number: str) -> dict[str, str | bytes]:
    from wuzaicun.core.masking import mask_phone
    from wuzaicun.registry.fields import seal_phone

    return {"phone_sealed": seal_phone(number), "phone_masked": mask_phone(number)}


CONTRACT_PEOPLE = ["姓名", "身份证号", "性别", "民族", "政治面貌", "工作单位", "职务", "职级", "联系电话"]


def test_a_contract_people_file_takes_each_region_from_the_unit(world, tmp_path):
    """No 区划代码 column (the contract has none): a registered unit's region, else the region the unit's
    name names (the deepest), else --region, else a message naming the column."""
    from wuzaicun.registry.models import Unit

    Unit.objects_unscoped.create(name="老城街道办事处", region_id="520302001000")
    rows = [
        sheets.person(工作单位="老城街道办事处", 姓名="甲"),
        sheets.person(工作单位="遵义市红花岗区农业局", 姓名="乙"),
        sheets.person(工作单位="中共遵义市委组织部", 姓名="丙"),
        sheets.person(工作单位="某合作社", 姓名="丁"),
    ]
    path = sheets.write_csv(tmp_path / "人.csv", sheets.table(CONTRACT_PEOPLE, rows))
    refused = import_file(actor=world.users["city"], kind="people", path=path)
    assert issues(refused) == [(5, "区划代码", "未填写区划代码，工作单位也不能确定所属区划，导入时也未指定所属区划（命令行 --region）")]
    report = import_file(actor=world.users["city"], kind="people", path=path, region_code="520303000000")
    assert report.ok, report.issues
    placed = dict(Person.objects_unscoped.filter(name__in="甲乙丙丁").values_list("name", "region_id"))
    assert placed == {"甲": "520302001000", "乙": "520302000000", "丙": "520300000000", "丁": "520303000000"}


def test_a_unit_naming_a_region_outside_the_scope_places_nobody_there(world, tmp_path):
    path = sheets.write_csv(tmp_path / "人.csv", sheets.table(CONTRACT_PEOPLE, [sheets.person(工作单位="汇川区教育局")]))
    report = import_file(actor=world.users["county_a"], kind="people", path=path)
    assert [i.column for i in report.issues] == ["区划代码"]
    assert not Person.objects_unscoped.filter(name="李明").exists()


def test_the_command_takes_a_region_prefix(world, tmp_path):
    import io

    from django.core.management import call_command

    path = sheets.write_csv(tmp_path / "人.csv", sheets.table(CONTRACT_PEOPLE, [sheets.person(工作单位="某合作社", 姓名="戊")]))
    call_command("import", "people", str(path), "--region", "520302", "--as", "county_a", stderr=io.StringIO())
    assert Person.objects_unscoped.get(name="戊").region_id == "520302000000"
