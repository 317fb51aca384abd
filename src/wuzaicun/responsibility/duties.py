"""The five list kinds (五张责任清单) and their standard duties, as the seed states them."""

from __future__ import annotations

from django.db import models


class ListKind(models.TextChoices):
    TEAM = "team", "帮村"  # 领导班子帮村
    LEADER = "leader", "联村"  # 领导干部联村
    STATIONED = "stationed", "驻村"  # 第一书记和驻村干部驻村
    HELPER = "helper", "助村"  # 党员干部（村干部）助村
    GROUP_HEAD = "group_head", "带村"  # 农村能人党员带村


KIND_BY_LABEL = {label: value for value, label in ListKind.choices}

STANDARD_DUTIES: dict[str, tuple[str, ...]] = {
    ListKind.TEAM: ("学习贯彻", "落细落小", "解决问题", "整合资源", "督促检查"),
    ListKind.LEADER: ("牵头抓总", "蹲点指导", "带头遍访", "结对帮扶"),
    ListKind.STATIONED: ("宣传政策", "帮建强基层组织", "帮推动精准扶贫", "帮为民办事服务", "帮提升治理水平"),
    ListKind.HELPER: ("走访", "结对"),
    ListKind.GROUP_HEAD: ("带领", "示范", "帮助"),
}

WHO: dict[str, str] = {
    ListKind.TEAM: "领导班子",
    ListKind.LEADER: "领导干部",
    ListKind.STATIONED: "第一书记、驻村干部",
    ListKind.HELPER: "党员干部、村干部",
    ListKind.GROUP_HEAD: "农村能人党员（党群连心户户长）",
}

# Kinds whose entries name households (助村, and the household help of 联村).
WITH_HOUSEHOLDS = frozenset({ListKind.HELPER, ListKind.LEADER})


class StationedPost(models.TextChoices):
    FIRST_SECRETARY = "第一书记", "第一书记"
    RESIDENT_CADRE = "驻村干部", "驻村干部"


class GoalKind(models.TextChoices):
    NONE = "", "—"
    INDUSTRY = "industry", "发展产业"
    ENTITY = "entity", "兴办实体"
