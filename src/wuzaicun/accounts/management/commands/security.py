"""`wuzaicun security show [--json]` / `wuzaicun security set KEY=VALUE [KEY=VALUE ...]`: the security policy
(安全设置) from scripts, as the security administrator's page sets it; every change audited old → new."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.accounts import policy
from wuzaicun.accounts.services import update_policy
from wuzaicun.core.errors import DomainError
from wuzaicun.core.operator import OPERATOR


class Command(BaseCommand):
    help = "安全设置：wuzaicun security show [--json] / wuzaicun security set 设置项=值 ...（如 require_2fa_roles=system_admin,security_admin,audit_admin,county_admin）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="显示当前安全设置")
        show.add_argument("--json", action="store_true")
        change = sub.add_parser("set", help="修改安全设置，如 password_max_age_days=60")
        change.add_argument("pairs", nargs="+", metavar="设置项=值")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "set":
            changes: dict[str, str] = {}
            for pair in options["pairs"]:
                key, sep, value = pair.partition("=")
                if not sep:
                    raise CommandError(f"“{pair}”应写成 设置项=值，如 password_max_age_days=60")
                changes[key.strip()] = value
            try:
                update_policy(actor=OPERATOR, changes=changes)
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self.stderr.write("安全设置已保存")
        current = dataclasses.asdict(policy.current())
        if options.get("json"):
            self.stdout.write(json.dumps(current, ensure_ascii=False))
            return
        for bound in policy.FIELDS:
            self.stdout.write(f"{bound.field:24}{current[bound.field]:>6} {bound.unit:4}{bound.label}"
                              f"（{bound.low}–{bound.high}）")
        roles = ",".join(current[policy.TWO_FACTOR_FIELD])
        self.stdout.write(f"{policy.TWO_FACTOR_FIELD:24}{roles} {policy.TWO_FACTOR_LABEL}（角色代码，逗号分隔；"
                          f"system_admin、security_admin、audit_admin 始终包含）")
