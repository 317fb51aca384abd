"""Pure checks of the orgs area: the organisation tree, party membership, the committee's posts and duties.

Data in, Chinese messages out (each names the field it is about); the services, the forms, the API and
the `organizations` import all ask these same functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wuzaicun.registry.models import PARTY_STATUSES

from ..models.orgs import OrgCategory, OrgType

# 村务监督委员会's standard yearly duties (《村务监督委员会工作规则》 as counties apply it): the checklist a
# committee ticks each year.
COMMITTEE_DUTIES: tuple[str, ...] = (
    "监督村务公开",
    "监督财务管理",
    "监督工程项目",
    "监督惠农政策落实",
    "监督村规民约执行",
    "监督集体资产资源管理",
    "列席村务会议",
    "受理村民意见建议",
)

COMMITTEE_POSTS: dict[str, str] = {"chair": "主任", "member": "委员"}
COMMITTEE_MIN_MEMBERS = 3  # 村务监督委员会 has 3 to 5 members
COMMITTEE_MAX_MEMBERS = 5

# What a 电商特色党支部's product usually is in 遵义 (a choice offered, any text accepted).
ECOMMERCE_PRODUCTS: tuple[str, ...] = ("辣椒", "白酒", "茶叶", "方竹笋", "猕猴桃", "中药材", "生态畜禽")

TYPE_BY_LABEL: dict[str, str] = {label: value for value, label in OrgType.choices}
CATEGORY_BY_LABEL: dict[str, str] = {label: value for value, label in OrgCategory.choices}


def party_member_problem(name: str, political_status: str) -> str | None:
    """A person chosen as secretary or member must be registered as a party member (中共党员 or 预备党员)."""
    if political_status in PARTY_STATUSES:
        return None
    return f"{name}的政治面貌为“{political_status}”，不是中共党员，不能作为党组织成员或书记"


def parent_problem(*, org_type: str, parent_type: str | None) -> str | None:
    """A 党支部 has no children; a 党委 is under nothing but a 党委."""
    if parent_type is None:
        return None
    if parent_type == OrgType.BRANCH:
        return "党支部不能设下级组织，请选择党委或党总支作为上级组织"
    if org_type == OrgType.COMMITTEE and parent_type != OrgType.COMMITTEE:
        return "党委的上级组织只能是党委"
    return None


def children_problem(*, org_type: str, has_children: bool) -> str | None:
    """An organisation with children cannot become a 党支部."""
    if has_children and org_type == OrgType.BRANCH:
        return "该组织已有下级组织，不能改为党支部"
    return None


def cycle_problem(org_id: int | None, parent_id: int | None, parents: Mapping[int, int | None]) -> str | None:
    """Choosing `parent_id` as the parent of `org_id` would close a loop (parents: id → parent id)."""
    if org_id is None or parent_id is None:
        return None
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == org_id:
            return "上级组织不能是本组织或其下级组织"
        seen.add(current)
        current = parents.get(current)
    return None


def category_problem(*, category: str, org_type: str, product: str) -> str | None:
    if category == OrgCategory.ECOMMERCE:
        if org_type != OrgType.BRANCH:
            return "电商特色党支部的组织类型须为党支部"
        if not product.strip():
            return "电商特色党支部须填写特色产品（如辣椒、白酒、茶叶）"
    return None


def committee_member_problems(posts: Iterable[str]) -> list[str]:
    """A committee has one 主任 at most; posts are 主任 or 委员."""
    posts = list(posts)
    problems = [f"职务“{p}”不是可选值（主任、委员）" for p in posts if p not in COMMITTEE_POSTS]
    if sum(p == "chair" for p in posts) > 1:
        problems.append("村务监督委员会只能有一名主任")
    return problems


def duty_problem(duty: str) -> str | None:
    if duty not in COMMITTEE_DUTIES:
        return f"“{duty}”不是村务监督委员会的标准职责（{'、'.join(COMMITTEE_DUTIES)}）"
    return None


def duties_done_share(done: int, total: int = len(COMMITTEE_DUTIES)) -> float:
    return done / total if total else 0.0
