"""Who reads the audit trail: one place, so that the 审计管理员 role (三员分立, #14 point 1) can take it over."""

from wuzaicun.accounts.roles import Perm

# The permission of the audit pages (登录日志, 操作日志) and their exports: the 审计管理员 holds it (三员分立, D29).
AUDIT_PERM = Perm.VIEW_AUDIT
