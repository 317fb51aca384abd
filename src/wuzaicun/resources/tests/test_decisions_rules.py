"""资金使用决策's pure rules, table-driven: every quorum at its boundary (exactly half, exactly two thirds), votes
that do not carry, the order of steps, dates, publicity and the first payment day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuzaicun.resources.rules.decisions import (
    Attendance,
    Quorum,
    date_problem,
    first_payment_day,
    flow_steps,
    meeting_outcome,
    next_step,
    order_problem,
    payment_problems,
    publicity_problem,
)


@pytest.mark.parametrize(("quorum", "eligible", "present", "votes", "held", "adopted", "message"), [
    # 党员大会: more than half present (exactly half is not), more than half of those present for
    (Quorum.PARTY, 52, 24, 20, False, False, "党员大会须有半数以上党员到会：应到52人，实到24人"),
    (Quorum.PARTY, 52, 26, 20, False, False, "党员大会须有半数以上党员到会：应到52人，实到26人"),
    (Quorum.PARTY, 52, 27, 14, True, True, ""),
    (Quorum.PARTY, 52, 28, 14, True, False, "未获到会党员过半数同意：实到28人，赞成14人"),
    # 村民代表会议: at least two thirds present (exactly two thirds is enough)
    (Quorum.REPRESENTATIVES, 30, 19, 19, False, False, "村民代表会议须有三分之二以上的组成人员参加：应到30人，实到19人"),
    (Quorum.REPRESENTATIVES, 30, 20, 11, True, True, ""),
    (Quorum.REPRESENTATIVES, 30, 20, 10, True, False, "未获到会代表过半数同意"),
    # 村两委会议: more than half
    (Quorum.TWO_COMMITTEES, 8, 4, 4, False, False, "村两委会议须有半数以上成员到会"),
    (Quorum.TWO_COMMITTEES, 8, 5, 3, True, True, ""),
    # 党群议事会: at least two thirds
    (Quorum.DIRECT, 15, 10, 6, True, True, ""),
    (Quorum.DIRECT, 15, 9, 9, False, False, "党群议事会须有三分之二以上的成员到会"),
])
def test_quorum_and_majority(quorum, eligible, present, votes, held, adopted, message):
    outcome = meeting_outcome(quorum, Attendance(eligible, present, votes))
    assert (not outcome.problems) == held
    assert outcome.adopted == adopted
    if message:
        assert message in (outcome.problems[0][1] if outcome.problems else outcome.reason)


def test_a_refused_quorum_cites_the_law():
    outcome = meeting_outcome(Quorum.REPRESENTATIVES, Attendance(30, 10, 10))
    assert outcome.problems[0][0] == "实到人数" and "《村民委员会组织法》第二十六条" in outcome.problems[0][1]


@pytest.mark.parametrize(("eligible", "present", "households", "total", "held"), [
    (1000, 500, None, None, False),  # exactly half of the adults: not enough
    (1000, 501, None, None, True),
    (1000, 300, 200, 300, True),  # exactly two thirds of the households: enough
    (1000, 300, 199, 300, False),
])
def test_a_villagers_meeting_counts_adults_or_households(eligible, present, households, total, held):
    outcome = meeting_outcome(Quorum.VILLAGERS, Attendance(eligible, present, present, 0, 0, households, total))
    assert (not outcome.problems) == held
    if not held:
        assert "村民会议须有本村十八周岁以上村民的过半数或三分之二以上的户的代表参加" in outcome.problems[0][1]


@pytest.mark.parametrize(("attendance", "field"), [
    (Attendance(None, 10, 5), "应到人数"),
    (Attendance(10, 11, 5), "实到人数"),
    (Attendance(10, 8, 5, 3, 1), "赞成"),
])
def test_impossible_figures_name_the_field(attendance, field):
    assert meeting_outcome(Quorum.PARTY, attendance).problems[0][0] == field


def test_each_flow_runs_in_order():
    assert [s.label for s in flow_steps("four_two")] == [
        "村党组织提议", "乡镇党委把关", "村两委会议商议", "党员大会审议", "村民会议或村民代表会议决议", "决议公开",
        "实施", "实施结果公开"]
    assert [s.code for s in flow_steps("direct")] == ["propose", "township", "direct", "publish", "implement",
                                                      "result"]
    assert next_step("four_two", "") is not None and next_step("four_two", "result") is None


@pytest.mark.parametrize(("current", "wanted", "status", "message"), [
    ("propose", "township", "in_progress", None),
    ("propose", "party", "in_progress", "下一环节是“乡镇党委把关”，不能记录“党员大会审议”"),
    ("township", "township", "in_progress", "下一环节是“村两委会议商议”"),
    ("party", "resolve", "rejected", "该决策未通过"),
    ("result", "result", "done", "各环节均已完成"),
])
def test_out_of_order_steps_are_refused(current, wanted, status, message):
    problem = order_problem("four_two", current, wanted, status=status)
    assert problem is None if message is None else message in (problem or "")


def test_a_date_before_the_previous_step_or_in_the_future_is_refused():
    today = dt.date(2016, 6, 1)
    assert date_problem(dt.date(2016, 5, 1), dt.date(2016, 5, 2), "乡镇党委把关", today) == \
        "日期不能早于上一环节“乡镇党委把关”的日期（2016-05-02）"
    assert date_problem(dt.date(2016, 6, 2), None, "", today) == "日期不能晚于今天"
    assert date_problem(dt.date(2016, 5, 2), dt.date(2016, 5, 2), "x", today) is None


@pytest.mark.parametrize(("days", "minimum", "ok"), [(7, 7, True), (6, 7, False), (10, 10, True), (None, 7, False)])
def test_publicity_lasts_the_configured_days(days, minimum, ok):
    assert (publicity_problem(days, minimum) is None) == ok


def test_no_payment_before_the_publicity_has_run_nor_beyond_the_amount():
    common = {"decision_amount": Decimal("10000"), "published_on": dt.date(2016, 5, 3), "days": 7,
              "status": "in_progress", "today": dt.date(2016, 12, 31)}
    assert first_payment_day(dt.date(2016, 5, 3), 7) == dt.date(2016, 5, 10)
    early = payment_problems(paid_on=dt.date(2016, 5, 9), amount=Decimal(100), paid_before=Decimal(0), **common)
    assert early == [("支付日期", "决议公开自2016-05-03起须满7天，2016-05-10前不能支付")]
    assert payment_problems(paid_on=dt.date(2016, 5, 10), amount=Decimal(100), paid_before=Decimal(0), **common) == []
    over = payment_problems(paid_on=dt.date(2016, 5, 10), amount=Decimal("0.01"), paid_before=Decimal(10000),
                            **common)
    assert over[0][0] == "金额" and "超过决策金额10000.00元" in over[0][1]
    unpublished = {**common, "published_on": None, "days": None}
    assert "决议尚未公开" in payment_problems(paid_on=dt.date(2016, 5, 10), amount=Decimal(1),
                                          paid_before=Decimal(0), **unpublished)[0][1]
