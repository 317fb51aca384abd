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
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 三员分立 (MLPS level 3): the system, security and audit administrators hold disjoint powers, each account holds
# one role, and only the command line (the server's operator) creates these three or changes their accounts; the
# business roles are the others. The security and audit administrators see no business data: `scoped()` returns
# nothing of a model to a role without the model's scope permission (VIEW_REGISTRY unless the model says otherwise).
SEPARATED_ADMINS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role.values) - SEPARATED_ADMINS)


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
    MANAGE_SECURITY = "manage_security"  # 安全策略、账号锁定与解锁、在线会话（安全管理员）
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


# The permissions that let a role read a model at all (`scoped()`): business data needs VIEW_REGISTRY; accounts and
# the names of places are read by every role that administers (a model lists them in `scope_perms`).
ADMINISTRATION: tuple[Perm, ...] = (Perm.VIEW_REGISTRY, Perm.MANAGE_USERS, Perm.MANAGE_SECURITY, Perm.VIEW_AUDIT)

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
    # users, regions, settings and the business administration; never the audit trail or the security policy
    Role.SYSTEM_ADMIN: frozenset(
        _ADMIN | {Perm.CONFIGURE_RULES, Perm.RUN_SPOT_CHECKS, Perm.RANK_ORGANIZATIONS, Perm.GRADE_CADRES,
                  Perm.APPROVE_OUTCOMES}
    ),
    Role.CITY_ADMIN: frozenset(
        _ADMIN | {Perm.CONFIGURE_RULES, Perm.RUN_SPOT_CHECKS, Perm.RANK_ORGANIZATIONS,
                  Perm.GRADE_CADRES, Perm.APPROVE_OUTCOMES}
    ),
    Role.COUNTY_ADMIN: frozenset(
        _ADMIN | {Perm.RUN_SPOT_CHECKS, Perm.RANK_ORGANIZATIONS, Perm.GRADE_CADRES,
                  Perm.APPROVE_OUTCOMES}
    ),
    Role.TOWNSHIP_ADMIN: frozenset((_ADMIN - {Perm.EDIT_REGIONS}) | {Perm.GRADE_CADRES}),
    Role.VILLAGE_REPORTER: frozenset(
        _READ | {Perm.EDIT_REGISTRY, Perm.RECONCILE, Perm.EDIT_ORGANIZATION, Perm.EDIT_RESOURCES}
    ),
    Role.INSPECTOR: frozenset(_READ),
    Role.LEADER: frozenset(_READ | {Perm.EXPORT_DATA}),
    Role.SECURITY_ADMIN: frozenset({Perm.MANAGE_SECURITY}),
    Role.AUDIT_ADMIN: frozenset({Perm.VIEW_AUDIT}),
}

# Which roles a holder of each role may grant (never above its own).
GRANTABLE: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: BUSINESS_ROLES,
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
    Role.SECURITY_ADMIN: frozenset(),
    Role.AUDIT_ADMIN: frozenset(),
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
    Role.SECURITY_ADMIN: 1,
    Role.AUDIT_ADMIN: 1,
}


def has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())
