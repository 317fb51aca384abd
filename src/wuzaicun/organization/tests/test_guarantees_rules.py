"""The standards as data: each comparison at its boundary, blanks, the share met."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.organization.rules.guarantees import default_values, met_share, shortfalls

FULL = {"cadre_monthly_pay": Decimal("2000"), "operating_funds": Decimal("45000"), "service_funds": Decimal("50000"),
        "activity_funds_per_member": Decimal("100.01"), "training_funds_per_cadre": Decimal("500.01"),
        "home_area": Decimal("300.01")}


def test_a_village_at_every_standard_has_no_shortfall() -> None:
    assert shortfalls(FULL, default_values()) == []
    assert met_share(FULL, default_values()) == (6, 6)


@pytest.mark.parametrize(("code", "value", "message"), [
    ("cadre_monthly_pay", Decimal("1999.99"), "村干部月报酬1,999.99元/月，低于标准2,000元/月"),
    ("operating_funds", Decimal("44999"), "村级组织运转经费44,999元/年，低于标准45,000元/年"),
    ("service_funds", Decimal("10000"), "服务群众专项经费10,000元/年，低于标准50,000元/年"),
    ("activity_funds_per_member", Decimal("100"), "党员人均活动经费100元/人·年，未超过标准100元/人·年"),
    ("training_funds_per_cadre", Decimal("500"), "村干部人均培训经费500元/人·年，未超过标准500元/人·年"),
    ("home_area", Decimal("300"), "党员群众之家面积300平方米，未超过标准300平方米"),
    ("operating_funds", None, "未填报村级组织运转经费"),
])
def test_each_standard_names_its_shortfall(code: str, value: Decimal | None, message: str) -> None:
    found = shortfalls(FULL | {code: value}, default_values())
    assert [(s.code, s.message) for s in found] == [(code, message)]


def test_a_home_not_built_is_not_below_the_area_standard() -> None:
    values = FULL | {"home_area": None}
    assert shortfalls(values, default_values()) == []
    assert met_share(values, default_values()) == (5, 5)


def test_a_years_configured_value_is_used() -> None:
    thresholds = default_values() | {"cadre_monthly_pay": Decimal("2500")}
    assert [s.code for s in shortfalls(FULL, thresholds)] == ["cadre_monthly_pay"]
    assert met_share(FULL | {"service_funds": None}, thresholds) == (4, 6)
