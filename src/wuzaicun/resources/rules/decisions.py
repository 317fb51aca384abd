"""资金使用决策: each flow's steps in order, the quorum and majority of each meeting with the legal wording cited
when a step is refused, publicity days and the first day a payment may be made. Pure: values in, findings out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

DEFAULT_PUBLICITY_DAYS = 7  # `decision_paid_early`'s threshold (规则设置) changes it per year
ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}")  # a resident ID typed into a name or a note


class Kind(StrEnum):
    """What a step records."""

    PROPOSAL = "proposal"  # 提议: what is proposed
    TOWNSHIP = "township"  # 乡镇党委把关: agreed or not, by the township
    MEETING = "meeting"  # a meeting: attendance and votes against its quorum
    PUBLICITY = "publicity"  # 公开: from a date, for at least N days
    ACTION = "action"  # 实施: a date and a note


class Quorum(StrEnum):
    """Which quorum and majority a meeting is held to."""

    TWO_COMMITTEES = "two_committees"  # 村两委会议
    PARTY = "party"  # 党员大会
    VILLAGERS = "villagers"  # 村民会议
    REPRESENTATIVES = "representatives"  # 村民代表会议
    DIRECT = "direct"  # 党群议事会（党员群众代表直议）


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    kind: Kind
    quorums: tuple[Quorum, ...] = ()  # a meeting: the forms it may take (the first is the default)
    resolution: bool = False  # the step whose adoption is the decision (决议)
    publishes: str = ""  # a publicity step: "resolution" or "result"


PROPOSE = Step("propose", "村党组织提议", Kind.PROPOSAL)
TOWNSHIP = Step("township", "乡镇党委把关", Kind.TOWNSHIP)
PUBLISH = Step("publish", "决议公开", Kind.PUBLICITY, publishes="resolution")
IMPLEMENT = Step("implement", "实施", Kind.ACTION)
RESULT = Step("result", "实施结果公开", Kind.PUBLICITY, publishes="result")

# 四议两公开 as the issue lists it (中共中央办公厅、国务院办公厅《关于加强和改进村民委员会选举工作的通知》附
# “四议两公开”工作法; 《村民委员会组织法》第二十二条、第二十六条 for the village meetings).
FOUR_TWO: tuple[Step, ...] = (
    PROPOSE,
    TOWNSHIP,
    Step("consult", "村两委会议商议", Kind.MEETING, (Quorum.TWO_COMMITTEES,)),
    Step("party", "党员大会审议", Kind.MEETING, (Quorum.PARTY,)),
    Step("resolve", "村民会议或村民代表会议决议", Kind.MEETING, (Quorum.REPRESENTATIVES, Quorum.VILLAGERS),
         resolution=True),
    PUBLISH, IMPLEMENT, RESULT,
)
# 党群直议制 (assumption, documented in docs/resources-decisions.md F2): the village party organisation proposes,
# the township checks, then one 党群议事会 of party members and villagers' representatives deliberates and decides
# in place of the three meetings; the decision and the result are published as under 四议两公开.
DIRECT: tuple[Step, ...] = (
    PROPOSE,
    TOWNSHIP,
    Step("direct", "党群议事会直议决定", Kind.MEETING, (Quorum.DIRECT,), resolution=True),
    PUBLISH, IMPLEMENT, RESULT,
)
FLOWS: dict[str, tuple[Step, ...]] = {"four_two": FOUR_TWO, "direct": DIRECT}
STEP_LABELS: dict[str, str] = {s.code: s.label for flow in FLOWS.values() for s in flow}

QUORUM_LABELS: dict[Quorum, str] = {
    Quorum.TWO_COMMITTEES: "村两委会议", Quorum.PARTY: "党员大会", Quorum.VILLAGERS: "村民会议",
    Quorum.REPRESENTATIVES: "村民代表会议", Quorum.DIRECT: "党群议事会",
}
QUORUM_BY_LABEL: dict[str, Quorum] = {label: q for q, label in QUORUM_LABELS.items()}
# The rule each meeting is held to, as the refusal cites it.
QUORUM_RULES: dict[Quorum, str] = {
    Quorum.TWO_COMMITTEES: "村两委会议须有半数以上成员到会，经到会成员半数以上同意",
    Quorum.PARTY: "党员大会须有半数以上党员到会，经到会党员半数以上同意",
    Quorum.VILLAGERS: ("村民会议须有本村十八周岁以上村民的过半数，或者本村三分之二以上的户的代表参加，"
                       "所作决定应当经到会人员的过半数通过（《村民委员会组织法》第二十二条）"),
    Quorum.REPRESENTATIVES: ("村民代表会议须有三分之二以上的组成人员参加方可召开，"
                             "所作决定应当经到会人员的过半数同意（《村民委员会组织法》第二十六条）"),
    Quorum.DIRECT: "党群议事会须有三分之二以上的成员到会，经到会成员半数以上同意",
}
_WHO = {Quorum.TWO_COMMITTEES: "成员", Quorum.PARTY: "党员", Quorum.VILLAGERS: "村民",
        Quorum.REPRESENTATIVES: "代表", Quorum.DIRECT: "成员"}


def flow_steps(flow: str) -> tuple[Step, ...]:
    return FLOWS[flow]


def step_of(flow: str, code: str) -> Step | None:
    return next((s for s in FLOWS[flow] if s.code == code), None)


def next_step(flow: str, current: str) -> Step | None:
    """The step after `current` ("" before the first); None when the flow is complete."""
    steps = FLOWS[flow]
    if not current:
        return steps[0]
    index = next(i for i, s in enumerate(steps) if s.code == current)
    return steps[index + 1] if index + 1 < len(steps) else None


def order_problem(flow: str, current: str, wanted: str, *, status: str) -> str | None:
    """A step may only be the next one of the flow, and nothing follows a rejected or completed decision."""
    if status == "rejected":
        return "该决策未通过，不能再记录后续环节"
    following = next_step(flow, current)
    if following is None:
        return "该决策各环节均已完成"
    if wanted != following.code:
        label = STEP_LABELS.get(wanted, wanted)
        return f"环节须按顺序进行：下一环节是“{following.label}”，不能记录“{label}”"
    return None


def date_problem(held_on: dt.date, previous: dt.date | None, previous_label: str, today: dt.date) -> str | None:
    if held_on > today:
        return "日期不能晚于今天"
    if previous is not None and held_on < previous:
        return f"日期不能早于上一环节“{previous_label}”的日期（{previous:%Y-%m-%d}）"
    return None


@dataclass(frozen=True)
class Attendance:
    eligible: int | None  # 应到
    present: int | None  # 实到
    votes_for: int | None
    votes_against: int | None = 0
    votes_abstain: int | None = 0
    households_represented: int | None = None  # 村民会议: 到会代表户数
    households_total: int | None = None  # 村民会议: 总户数


@dataclass(frozen=True)
class MeetingOutcome:
    """`problems` (field, message) refuse the step; otherwise `adopted` says whether the vote carried."""

    problems: tuple[tuple[str, str], ...]
    adopted: bool = False
    reason: str = ""


def _quorum_met(quorum: Quorum, a: Attendance) -> bool:
    eligible, present = a.eligible or 0, a.present or 0
    if quorum is Quorum.VILLAGERS:
        by_people = present * 2 > eligible
        by_households = (a.households_total or 0) > 0 and (a.households_represented or 0) * 3 >= (a.households_total or 0) * 2
        return by_people or by_households
    if quorum in (Quorum.REPRESENTATIVES, Quorum.DIRECT):
        return present * 3 >= eligible * 2  # 三分之二以上: exactly two thirds is enough
    return present * 2 > eligible  # 半数以上: exactly half is not


def meeting_outcome(quorum: Quorum, a: Attendance) -> MeetingOutcome:
    """Refuse a meeting without its quorum (citing the rule with the figures); a vote that did not carry more
    than half of those present is not refused: the decision ends 未通过."""
    who, name = _WHO[quorum], QUORUM_LABELS[quorum]
    problems: list[tuple[str, str]] = []
    for field, value in (("应到人数", a.eligible), ("实到人数", a.present), ("赞成", a.votes_for)):
        if value is None:
            problems.append((field, f"请填写{name}的{field}"))
    if quorum is Quorum.VILLAGERS and (a.households_represented is None) != (a.households_total is None):
        problems.append(("到会代表户数", "按户计算到会时，到会代表户数和总户数须同时填写"))
    if problems:
        return MeetingOutcome(tuple(problems))
    eligible, present = a.eligible or 0, a.present or 0
    if eligible <= 0:
        return MeetingOutcome((("应到人数", f"{name}的应到人数须大于0"),))
    if present > eligible:
        return MeetingOutcome((("实到人数", f"实到人数（{present}人）不能多于应到人数（{eligible}人）"),))
    if a.households_total is not None and (a.households_represented or 0) > a.households_total:
        return MeetingOutcome((("到会代表户数", f"到会代表户数（{a.households_represented}户）不能多于总户数"
                                             f"（{a.households_total}户）"),))
    votes = (a.votes_for or 0) + (a.votes_against or 0) + (a.votes_abstain or 0)
    if votes > present:
        return MeetingOutcome((("赞成", f"赞成、反对、弃权合计{votes}票，多于实到人数{present}人"),))
    if not _quorum_met(quorum, a):
        if quorum is Quorum.VILLAGERS:
            figures = f"应到{eligible}人，实到{present}人"
            if a.households_total:
                figures += f"；总户数{a.households_total}户，到会代表{a.households_represented}户"
        else:
            figures = f"应到{eligible}人，实到{present}人"
        lead = {Quorum.TWO_COMMITTEES: "村两委会议须有半数以上成员到会",
                Quorum.PARTY: "党员大会须有半数以上党员到会",
                Quorum.VILLAGERS: "村民会议须有本村十八周岁以上村民的过半数或三分之二以上的户的代表参加",
                Quorum.REPRESENTATIVES: "村民代表会议须有三分之二以上的组成人员参加",
                Quorum.DIRECT: "党群议事会须有三分之二以上的成员到会"}[quorum]
        return MeetingOutcome((("实到人数", f"{lead}：{figures}（{QUORUM_RULES[quorum]}）"),))
    if (a.votes_for or 0) * 2 > present:
        return MeetingOutcome((), adopted=True)
    return MeetingOutcome((), adopted=False,
                          reason=f"未获到会{who}过半数同意：实到{present}人，赞成{a.votes_for or 0}人")


def publicity_problem(days: int | None, minimum: int) -> str | None:
    if days is None:
        return "请填写公示天数"
    if days < minimum:
        return f"公示时间不少于{minimum}天，填写的是{days}天"
    return None


def first_payment_day(published_on: dt.date, days: int) -> dt.date:
    """A publicity from 05-03 for 7 days runs 05-03 … 05-09: the first day a payment may be made is 05-10."""
    return published_on + dt.timedelta(days=days)


def payment_problems(*, paid_on: dt.date, amount: Decimal, decision_amount: Decimal, paid_before: Decimal,
                     published_on: dt.date | None, days: int | None, status: str,
                     today: dt.date) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with a payment under a decision."""
    problems: list[tuple[str, str]] = []
    if status == "rejected":
        return [("决策", "该决策未通过，不能支付")]
    if published_on is None or days is None:
        return [("支付日期", "决议尚未公开，不能支付（须先完成“决议公开”）")]
    if amount <= 0:
        problems.append(("金额", "支付金额须大于0"))
    if paid_on > today:
        problems.append(("支付日期", "支付日期不能晚于今天"))
    first = first_payment_day(published_on, days)
    if paid_on < first:
        problems.append(("支付日期", f"决议公开自{published_on:%Y-%m-%d}起须满{days}天，{first:%Y-%m-%d}前不能支付"))
    fen = Decimal("0.01")
    total = (paid_before + amount).quantize(fen)
    if amount > 0 and total > decision_amount:
        left = (decision_amount - paid_before).quantize(fen)
        problems.append(("金额", f"累计支付{total}元将超过决策金额{decision_amount.quantize(fen)}元"
                                f"（尚可支付{left}元）"))
    return problems


def id_number_problem(text: str, field: str) -> str | None:
    """Notes and payees are printed on public notices: no resident ID number in them."""
    if ID_LIKE.search(text):
        return f"{field}中不要填写身份证号（公示内容不得含身份证号）"
    return None
