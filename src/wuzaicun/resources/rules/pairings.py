"""支部结对、干群结亲与企业帮扶: what a pairing, a support and an enterprise's help must state (pure checks, Chinese
messages naming the organisations, people and villages). docs/resources-pairings.md R1–R6."""

from __future__ import annotations

from decimal import Decimal

from wuzaicun.core.identifiers import credit_code_problem

from ..models.pairings import SupportKind

VILLAGE_CATEGORY = "village"  # organization's OrgCategory.VILLAGE
VILLAGE_LEVEL = 5  # regions' Level.VILLAGE
TOWNSHIP_LEVEL = 4

TEXT_MAX = 300  # 帮扶内容 (the columns' size)
NAME_MAX = 200  # 企业名称

Problems = list[tuple[str, str]]


def active_in(year: int, since: int, until: int | None) -> bool:
    """A pairing counts in every year from its 结对年度 to its 结束年度 (open when not ended), both included."""
    return since <= year and (until is None or until >= year)


def years_problem(since: int | None, until: int | None) -> tuple[str, str] | None:
    if since is None:
        return "结对年度", "结对年度为必填项"
    if not 2000 <= since <= 2100:
        return "结对年度", f"结对年度 {since} 不合理"
    if until is not None and until < since:
        return "结束年度", f"结束年度 {until} 早于结对年度 {since}"
    return None


def branch_problems(*, helper_id: int, helper_name: str, helper_category: str, helper_level: int,
                    helped_id: int, helped_name: str, helped_category: str, helped_level: int,
                    since: int | None, until: int | None = None) -> Problems:
    """支部结对: the helped side is a village's party organisation; the helper another organisation — a unit's
    (机关、企事业单位) or a township's — never a village's own, never itself (R1)."""
    problems: Problems = []
    if helped_category != VILLAGE_CATEGORY or helped_level != VILLAGE_LEVEL:
        problems.append(("村党组织", f"“{helped_name}”不是村党组织，受援一方应为村（社区）的党组织"))
    if helper_id == helped_id:
        problems.append(("结对党组织", f"“{helper_name}”不能与自身结对"))
    elif helper_category == VILLAGE_CATEGORY or helper_level == VILLAGE_LEVEL:
        problems.append(("结对党组织", f"“{helper_name}”是村级党组织，结对一方应为机关单位或乡镇的党组织"))
    if problem := years_problem(since, until):
        problems.append(problem)
    return problems


def kin_problems(*, person_name: str, head_name: str, since: int | None, until: int | None = None,
                 overlapping_since: int | None = None) -> Problems:
    """干群结亲: a registered person (the cadre) and a household; a cadre may have several households and a
    household several cadres, but the same cadre and household are paired once in any year (R2).
    `overlapping_since` is the 结对年度 of a pairing of the same two that is active in one of these years."""
    problems: Problems = []
    if problem := years_problem(since, until):
        problems.append(problem)
    if overlapping_since is not None:
        problems.append(("结亲户", f"{person_name}与{head_name}户已于{overlapping_since}年结亲，同一年度不能重复结亲"))
    return problems


def support_problems(*, kind: str, description: str, amount: Decimal | None, year: int | None,
                     since: int, until: int | None, pairing: str) -> Problems:
    """A support: a kind (项目、资金、物资), what it was, its value ≥ 0 (money > 0), in a year the pairing is
    active (R3). The village is always the pairing's own (the service sets it)."""
    problems: Problems = []
    if kind not in SupportKind.values:
        problems.append(("帮扶类型", f"帮扶类型“{kind}”无效，应为{'、'.join(SupportKind.labels)}"))
    if not description.strip():
        problems.append(("帮扶内容", "帮扶内容为必填项"))
    elif len(description.strip()) > TEXT_MAX:
        problems.append(("帮扶内容", f"帮扶内容不能超过{TEXT_MAX}个字"))
    if amount is None or amount < 0:
        problems.append(("折合金额（元）", "折合金额不能为负数"))
    elif kind == SupportKind.MONEY and amount <= 0:
        problems.append(("折合金额（元）", "资金帮扶的金额应大于0"))
    if year is None:
        problems.append(("年度", "年度为必填项"))
    elif not active_in(year, since, until):
        span = f"{since}—{until}年" if until is not None else f"{since}年起"
        problems.append(("年度", f"{pairing}的结对期限为{span}，{year}年不在其中"))
    return problems


def credit_code_issue(code: str) -> str | None:
    """GB 32100 (the one checker of core/identifiers.py), with the field named."""
    if not code:
        return "统一社会信用代码为必填项"
    if problem := credit_code_problem(code):
        return f"统一社会信用代码“{code}”{problem}"
    return None


def enterprise_problems(*, name: str, credit_code: str, region_level: int | None) -> Problems:
    problems: Problems = []
    if not name.strip():
        problems.append(("企业名称", "企业名称为必填项"))
    elif len(name.strip()) > NAME_MAX:
        problems.append(("企业名称", f"企业名称不能超过{NAME_MAX}个字"))
    if issue := credit_code_issue(credit_code):
        problems.append(("统一社会信用代码", issue))
    if region_level is not None and region_level < 3:
        problems.append(("注册地", "注册地应为县（市、区）或以下的区划"))
    return problems


def help_problems(*, village_name: str, village_level: int, year: int | None, pledged: Decimal | None,
                  paid: Decimal | None, note: str = "") -> Problems:
    """An enterprise's help to a village in a year: pledged ≥ 0 and paid ≥ 0; paid MAY exceed pledged (R5: money
    arrived beyond the pledge is real money — the pages mark it 超额到位 rather than refuse it)."""
    problems: Problems = []
    if village_level != VILLAGE_LEVEL:
        problems.append(("帮扶村", f"“{village_name}”不是村（社区），帮扶对象应为村"))
    if year is None:
        problems.append(("年度", "年度为必填项"))
    if pledged is None or pledged < 0:
        problems.append(("承诺资金（元）", "承诺资金不能为负数"))
    if paid is None or paid < 0:
        problems.append(("到位资金（元）", "到位资金不能为负数"))
    if len(note.strip()) > TEXT_MAX:
        problems.append(("帮扶内容", f"帮扶内容不能超过{TEXT_MAX}个字"))
    return problems


def overpaid(pledged: Decimal, paid: Decimal) -> bool:
    return paid > pledged
