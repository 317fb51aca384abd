"""Who reads the audit trail: one place, so that the 审计管理员 role (三员分立, #14 point 1) can take it over."""

from wuzaicun.accounts.roles import Perm

# The permission of the audit pages (登录日志, 操作日志), their exports and `wuzaicun audit purge --as`.
AUDIT_PERM = Perm.VIEW_AUDIT
