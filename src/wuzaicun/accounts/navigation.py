"""The left menu, built from what the user may do: the five mechanisms, then 数据 and 系统."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from wuzaicun.audit.access import AUDIT_PERM

from .roles import Perm


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str | None = None
    perm: Perm | None = None
    icon: str = "dot"


@dataclass(frozen=True)
class Section:
    label: str
    icon: str
    items: tuple[Item, ...] = field(default=())
    building: bool = False  # 建设中: the mechanism's app has not landed yet


MENU: tuple[Section, ...] = (
    Section(
        "责任在村落实",
        "clipboard-check",
        (
            Item("年度清单", "responsibility:board", Perm.VIEW_REGISTRY, "card-checklist"),
            Item("清单条目", "responsibility:entries", Perm.VIEW_REGISTRY, "list-ul"),
            Item("覆盖检查", "responsibility:coverage", Perm.VIEW_REGISTRY, "bullseye"),
            Item("对账审核", "responsibility:review", Perm.REVIEW_LEDGER, "check2-square"),
            Item("规则设置", "responsibility:rules", Perm.VIEW_REGISTRY, "sliders"),
        ),
    ),
    Section(
        "组织在村建强",
        "flag",
        (
            Item("党组织", "organization:orgs", Perm.VIEW_REGISTRY, "diagram-3"),
            Item("倒排整顿", "organization:ranking", Perm.VIEW_REGISTRY, "sort-up"),
            Item("整顿案例", "organization:cases", Perm.VIEW_REGISTRY, "tools"),
            Item("村务监督委员会", "organization:committees", Perm.VIEW_REGISTRY, "eye"),
            Item("社会组织与电商站点", "organization:social", Perm.VIEW_REGISTRY, "shop"),
            Item("组织保障", "organization:guarantees", Perm.VIEW_REGISTRY, "shield-check"),
            Item("村集体经济", "organization:entities", Perm.VIEW_REGISTRY, "cash-coin"),
        ),
    ),
    Section(
        "干部在村成长",
        "person-badge",
        (
            Item("选派管理", "cadres:dispatches", Perm.VIEW_REGISTRY, "person-up"),
            Item("驻村工作组", "cadres:groups", Perm.VIEW_REGISTRY, "people-fill"),
            Item("上管一级与后备干部", "cadres:placements", Perm.VIEW_REGISTRY, "arrow-up-circle"),
            Item("千村千人计划", "cadres:talents", Perm.VIEW_REGISTRY, "mortarboard"),
            Item("项目书记", "cadres:secretaries", Perm.VIEW_REGISTRY, "briefcase"),
            Item("干部培训", "cadres:trainings", Perm.VIEW_REGISTRY, "easel"),
            Item("六定一化考核", "cadres:grades", Perm.VIEW_REGISTRY, "award"),
            Item("考核结果运用", "cadres:outcomes", Perm.VIEW_REGISTRY, "patch-check"),
        ),
    ),
    Section(
        "资源在村整合",
        "diagram-3",
        (
            Item("整合项目", "resources:projects", Perm.VIEW_REGISTRY, "kanban"),
            Item("项目资金", "resources:project_funds", Perm.VIEW_REGISTRY, "cash-coin"),
            Item("十户一体", "resources:groups", Perm.VIEW_REGISTRY, "house-heart"),
            Item("三变改革", "resources:shares", Perm.VIEW_REGISTRY, "pie-chart"),
            Item("结对帮扶", "resources:pairings", Perm.VIEW_REGISTRY, "person-hearts"),
            Item("企业帮扶", "resources:enterprises", Perm.VIEW_REGISTRY, "building"),
            Item("资金使用决策", "resources:decisions", Perm.VIEW_REGISTRY, "journal-check"),
        ),
    ),
    Section(
        "成效在村检验",
        "search",
        (
            Item("季度抽查", "verification:plans", Perm.VIEW_REGISTRY, "shuffle"),
            Item("年度考核", "verification:results", Perm.VIEW_REGISTRY, "award"),
            Item("考核指标体系", "verification:schemes", Perm.VIEW_REGISTRY, "diagram-3"),
        ),
    ),
    Section(
        "数据分析",
        "bar-chart",
        (
            Item("数据概览", "insight:overview", Perm.VIEW_REGISTRY, "speedometer2"),
            Item("责任落实分析", "insight:responsibility", Perm.VIEW_REGISTRY, "graph-up"),
            Item("组织建设分析", "insight:organization", Perm.VIEW_REGISTRY, "graph-up"),
            Item("干部成长分析", "insight:cadres", Perm.VIEW_REGISTRY, "graph-up"),
            Item("资源整合分析", "insight:resources", Perm.VIEW_REGISTRY, "graph-up"),
            Item("成效检验分析", "insight:verification", Perm.VIEW_REGISTRY, "graph-up"),
        ),
    ),
    Section(
        "基础数据",
        "database",
        (
            Item("区划树", "registry:tree", Perm.VIEW_REGISTRY, "diagram-2"),
            Item("村情", "regions:villages", Perm.VIEW_REGISTRY, "geo-alt"),
            Item("人员", "registry:people", Perm.VIEW_REGISTRY, "people"),
            Item("农户", "registry:households", Perm.VIEW_REGISTRY, "house"),
            Item("数据导入", "tabular:index", Perm.IMPORT_DATA, "upload"),
        ),
    ),
    Section(
        "系统管理",
        "gear",
        (
            Item("用户管理", "accounts:users", Perm.MANAGE_USERS, "person-gear"),
            Item("安全设置", "accounts:security", Perm.MANAGE_SECURITY, "shield-check"),
            Item("在线会话", "accounts:sessions", Perm.MANAGE_SECURITY, "people"),
            Item("账号锁定", "accounts:lockouts", Perm.MANAGE_SECURITY, "shield-lock"),
            Item("双因素认证", "accounts:twofa_users", Perm.MANAGE_SECURITY, "phone-vibrate"),
            Item("登录日志", "audit:logins", AUDIT_PERM, "box-arrow-in-right"),
            Item("操作日志", "audit:operations", AUDIT_PERM, "journal-text"),
        ),
    ),
)


def menu_for(user: Any, path: str) -> list[dict[str, Any]]:
    """The sections and items the user may open; the item with the longest URL matching the path is active."""
    sections: list[dict[str, Any]] = []
    for section in MENU:
        items = []
        for item in section.items:
            if item.perm is not None and not user.can(item.perm):
                continue
            url = reverse(item.url_name) if item.url_name else ""
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
        if items or section.building:
            sections.append({"label": section.label, "icon": section.icon, "items": items,
                             "building": section.building})
    matches = [i for s in sections for i in s["items"] if i["url"] and path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return sections


# The watermark (viewer, account, time) tiles the whole window: base.html draws it on every page a
# signed-in user opens, so no page with personal data can forget it (docs/decisions.md D15).
WATERMARK_CELLS = range(24)


def site(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu and the watermark's tiles for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "can": {}, "watermark_cells": ()}
    return {"menu": menu_for(user, request.path), "can": {perm.value: user.can(perm) for perm in Perm},
            "watermark_cells": WATERMARK_CELLS}
