"""The audit page names objects, fields and places in Chinese, never a table name, a field name or `user #2`."""

from lxml import html

from wuzaicun.accounts.services import create_user
from wuzaicun.audit.labels import field_label, object_label
from wuzaicun.responsibility.services import open_year, update_rule


def test_object_types_and_fields_read_in_chinese():
    assert object_label("ledger_line") == "台账条目"
    assert object_label("spot_check_plan") == "季度抽查计划"
    assert object_label("spot_check_finding") == "抽查结果"
    assert object_label("household") == "农户"
    assert object_label("synth") == "合成数据"
    assert field_label("responsibility_year", "due_date") == "清单截止日期"
    assert field_label("reconciliation", "state") == "审核状态"
    assert field_label("assignment", "households") == "帮扶户"


def test_the_audit_page_shows_names_not_codes(world, client_for):
    create_user(actor=world.users["county_a"], username="new_reporter", role="village_reporter",
                scope="520302001001", password="Abc@12345678", full_name="王五")
    open_year(actor=world.users["city"], year=2016)
    update_rule(actor=world.users["city"], year=2016, code="household_helpers_min3", enabled=True, threshold=4)
    page = client_for("auditor").get("/audit/").text
    visible = html.fromstring(page).xpath('//table[@id="audit-table"]')[0].text_content()
    assert "用户：王五" in visible and "甲村" in visible
    for code in ("user #", "responsibility_year", "rule_setting", "520302001001", "threshold"):
        assert code not in visible, code
