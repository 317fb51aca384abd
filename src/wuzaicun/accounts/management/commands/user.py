"""`wuzaicun user add NAME --role ROLE --scope CODE [--password-stdin]`, `wuzaicun user reset-2fa NAME`."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.accounts import twofa
from wuzaicun.accounts.roles import Role
from wuzaicun.accounts.services import create_user
from wuzaicun.core.errors import DomainError
from wuzaicun.core.operator import OPERATOR


class Command(BaseCommand):
    help = "用户管理：wuzaicun user add NAME --role ROLE --scope CODE [--password-stdin] / wuzaicun user reset-2fa NAME"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="新增用户")
        add.add_argument("name")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--scope", required=True, help="区划代码或其前缀，如 5203 或 520300000000")
        add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
        add.add_argument("--full-name", default="")
        reset = sub.add_parser("reset-2fa", help="重置用户的双因素认证（身份验证器和恢复码作废，会话和接口令牌结束）")
        reset.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reset-2fa":
            try:
                target = twofa.reset(actor=OPERATOR, username=options["name"])
            except DomainError as exc:
                raise CommandError(f"用户“{options['name']}”不存在" if exc.code == "not_found" else exc.message) from None
            self.stderr.write(f"已重置 {target.username} 的双因素认证：下次登录时重新设置（其会话和接口令牌已结束）")
            return
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise CommandError("两次输入的密码不一致")
        try:
            user = create_user(actor=None, username=options["name"], role=options["role"], scope=options["scope"],
                               password=password, full_name=options["full_name"], must_change_password=False)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"已创建用户 {user.username}（{user.get_role_display()}，管辖范围 {user.scope_id}）")
