"""Roles (角色) and the permissions each carries; pure data, no ORM."""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    CITY_ADMIN = "city_admin", "市级管理员"
    COUNTY_ADMIN = "county_admin", "县级管理员"
    TOWNSHIP_ADMIN = "township_admin", "乡镇管理员"
    VILLAGE_REPORTER = "village_reporter", "村级填报员"
    INSPECTOR = "inspector", "督查员"
    LEADER = "leader", "领导（只读）"


class Perm(StrEnum):
    """What a role may do; views and API operations declare one, checked in one place."""

    VIEW_REGISTRY = "view_registry"  # 查看区划、人员、农户
    EDIT_REGISTRY = "edit_registry"  # 新增、修改人员与农户
    EDIT_REGIONS = "edit_regions"  # 维护区划与村情
    IMPORT_DATA = "import_data"  # 导入
    EXPORT_DATA = "export_data"  # 导出
    REVEAL_ID = "reveal_id"  # 查看完整身份证号（留痕）
    MANAGE_USERS = "manage_users"  # 用户管理
    VIEW_AUDIT = "view_audit"  # 操作日志
    EDIT_LISTS = "edit_lists"  # 编制责任清单
    CONFIGURE_RULES = "configure_rules"  # 设置责任年度与规则
    RECONCILE = "reconcile"  # 季度对账、走访记录
    REVIEW_LEDGER = "review_ledger"  # 审核对账、审批重审
    RUN_SPOT_CHECKS = "run_spot_checks"  # 抽取、结束季度抽查计划
    EDIT_ORGANIZATION = "edit_organization"  # 维护党组织、监委会、社会组织、组织保障、集体经济，记录整顿进展
    RANK_ORGANIZATIONS = "rank_organizations"  # 提出、调整、确认软弱涣散党组织倒排名单，设置排名指标与保障标准
    REVIEW_RECTIFICATION = "review_rectification"  # 乡镇、县级验收整顿案例（签字）
    EDIT_CADRES = "edit_cadres"  # 维护选派、驻村工作组、人才与项目书记、培训与参训、录入干部考核得分
    GRADE_CADRES = "grade_cadres"  # 设置干部考核指标与等次规则，计算、确认、锁定等次，提出结果运用
    APPROVE_OUTCOMES = "approve_outcomes"  # 审批考核结果运用（上一级）
    EDIT_RESOURCES = "edit_resources"  # 维护整合项目、十户一体、三变入股与分红、结对帮扶与企业帮扶，记录决策环节


_READ = {Perm.VIEW_REGISTRY}
_ADMIN = _READ | {
    Perm.EDIT_REGISTRY,
    Perm.EDIT_REGIONS,
    Perm.IMPORT_DATA,
    Perm.EXPORT_DATA,
    Perm.REVEAL_ID,
    Perm.MANAGE_USERS,
    Perm.EDIT_LISTS,
    Perm.RECONCILE,
    Perm.REVIEW_LEDGER,
    Perm.EDIT_ORGANIZATION,
    Perm.REVIEW_RECTIFICATION,
    Perm.EDIT_CADRES,
    Perm.EDIT_RESOURCES,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.SYSTEM_ADMIN: frozenset(
        _ADMIN | {Perm.VIEW_AUDIT, Perm.CONFIGURE_RULES, Perm.RUN_SPOT_CHECKS, Perm.RANK_ORGANIZATIONS,
                  Perm.GRADE_CADRES, Perm.APPROVE_OUTCOMES}
    ),
    Role.CITY_ADMIN: frozenset(
        _ADMIN | {Perm.VIEW_AUDIT, Perm.CONFIGURE_RULES, Perm.RUN_SPOT_CHECKS, Perm.RANK_ORGANIZATIONS,
                  Perm.GRADE_CADRES, Perm.APPROVE_OUTCOMES}
    ),
    Role.COUNTY_ADMIN: frozenset(
        _ADMIN | {Perm.VIEW_AUDIT, Perm.RUN_SPOT_CHECKS, Perm.RANK_ORGANIZATIONS, Perm.GRADE_CADRES,
                  Perm.APPROVE_OUTCOMES}
    ),
    Role.TOWNSHIP_ADMIN: frozenset((_ADMIN - {Perm.EDIT_REGIONS}) | {Perm.GRADE_CADRES}),
    Role.VILLAGE_REPORTER: frozenset(
        _READ | {Perm.EDIT_REGISTRY, Perm.RECONCILE, Perm.EDIT_ORGANIZATION, Perm.EDIT_RESOURCES}
    ),
    Role.INSPECTOR: frozenset(_READ),
    Role.LEADER: frozenset(_READ | {Perm.EXPORT_DATA}),
}

# Which roles a holder of each role may grant (never above its own).
GRANTABLE: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(Role.values),
    Role.CITY_ADMIN: frozenset(
        {Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.TOWNSHIP_ADMIN, Role.VILLAGE_REPORTER, Role.INSPECTOR, Role.LEADER}
    ),
    Role.COUNTY_ADMIN: frozenset(
        {Role.COUNTY_ADMIN, Role.TOWNSHIP_ADMIN, Role.VILLAGE_REPORTER, Role.INSPECTOR, Role.LEADER}
    ),
    Role.TOWNSHIP_ADMIN: frozenset({Role.TOWNSHIP_ADMIN, Role.VILLAGE_REPORTER}),
    Role.VILLAGE_REPORTER: frozenset(),
    Role.INSPECTOR: frozenset(),
    Role.LEADER: frozenset(),
}

# The widest scope (lowest region level) a role may hold: a county admin's scope is a county or below.
WIDEST_LEVEL: dict[str, int] = {
    Role.SYSTEM_ADMIN: 1,
    Role.CITY_ADMIN: 1,
    Role.COUNTY_ADMIN: 3,
    Role.TOWNSHIP_ADMIN: 4,
    Role.VILLAGE_REPORTER: 5,
    Role.INSPECTOR: 1,
    Role.LEADER: 1,
}


def has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())
