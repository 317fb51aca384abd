"""Another mechanism's rule joins `wuzaicun coverage`, the page and its JSON through `register_rule` (D24)."""

from collections.abc import Iterator
from typing import Any

import pytest

from wuzaicun.regions.selectors import village_years_for
from wuzaicun.responsibility import coverage
from wuzaicun.responsibility.rules import RULES_BY_CODE, Gap, RuleSpec
from wuzaicun.testing.lists import YEAR


def _every_village_is_a_gap(user: Any, year: int, region: str | None, rule: Any, due: Any) -> tuple[int, Iterator[Gap]]:
    rows = list(village_years_for(user, year=year).values_list("village_id", "village__name").order_by("village_id"))
    return len(rows), (Gap("test_every_village", "test_subject", code, code, f"{name}没有测试对象") for code, name in rows)


@pytest.fixture
def registered_rule() -> Iterator[None]:
    spec = RuleSpec("test_every_village", "每个村都有测试对象", "test_subject")
    coverage.register_rule(spec, _every_village_is_a_gap, subjects={
        "test_subject": coverage.SubjectKind("测试对象", lambda g, year: f"/test/{g.subject_id}/?year={year}"),
    })
    yield
    RULES_BY_CODE.pop("test_every_village")
    coverage.CHECKS.pop("test_every_village")
    coverage.SUBJECTS.pop("test_subject")


def test_a_registered_rule_is_checked_in_scope_and_read_in_chinese(world, year_open, client_for, registered_rule):
    county_a = coverage.coverage_report(world.users["county_a"], year=YEAR)
    county_b = coverage.coverage_report(world.users["county_b"], year=YEAR)
    assert county_a.as_json()["summary"]["test_every_village"] == {"checked": 2, "gaps": 2}
    a_codes = {g.subject_id for g in county_a.gaps if g.rule == "test_every_village"}
    b_codes = {g.subject_id for g in county_b.gaps if g.rule == "test_every_village"}
    assert a_codes == {"520302001001", "520302001002"} and b_codes == {"520303100201", "520303100202"}
    page = client_for("county_a").get("/responsibility/coverage/", {"rule": "test_every_village"}).text
    assert "每个村都有测试对象" in page and "测试对象" in page and "甲村没有测试对象" in page
    assert f'href="/test/520302001001/?year={YEAR}"' in page and "丙村" not in page


def test_a_year_rule_setting_switches_a_registered_rule_off(world, year_open, registered_rule):
    """The year was opened before the rule was registered: it has no setting row, and switching it off works."""
    from wuzaicun.responsibility.services import update_rule

    update_rule(actor=world.users["city"], year=YEAR, code="test_every_village", enabled=False, threshold=None)
    report = coverage.coverage_report(world.users["county_a"], year=YEAR)
    assert "test_every_village" not in report.summary
    assert not [g for g in report.gaps if g.rule == "test_every_village"]
