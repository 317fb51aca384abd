"""`wuzaicun demo [--port 8000] [--host 127.0.0.1] [--no-serve]`: the Zunyi demo data and users, then the site.

On an empty database it migrates, generates the 遵义市 data set of 2016 (`synth --scale city --seed 2016
--year 2016`) and creates one demo user per role, all with the one demo password below; on a database
that already holds the demo it only serves. The demo password is printed on screen and is for the demo
only: never run this command against a database with real data (it refuses when other users exist).
"""

from __future__ import annotations

import argparse
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from wuzaicun.core.errors import DomainError

DEMO_PASSWORD = "Demo@2016zy"  # noqa: S105  (published on screen and in the README: demo only)
DEMO_SCALE = "city"
DEMO_SEED = 2016
DEMO_YEAR = 2016
DEMO_CITY = "520300000000"  # 遵义市
DEMO_COUNTY = "520302000000"  # 红花岗区

# (username, role, scope); "township" and "village" are resolved to a township of 红花岗区 and a poor
# village in it once the data is there.
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("demo_sysadmin", "system_admin", "520000000000"),
    ("demo_city", "city_admin", DEMO_CITY),
    ("demo_county", "county_admin", DEMO_COUNTY),
    ("demo_township", "township_admin", "township"),
    ("demo_village", "village_reporter", "village"),
    ("demo_inspector", "inspector", DEMO_COUNTY),
    ("demo_leader", "leader", DEMO_CITY),
    ("demo_security", "security_admin", "520000000000"),
    ("demo_auditor", "audit_admin", "520000000000"),
)


def demo_village() -> str:
    """The first poor village (贫困村) of 红花岗区 in the demo year."""
    from wuzaicun.regions.models import VillageYear

    code = (
        VillageYear.objects_unscoped.filter(
            year=DEMO_YEAR, is_poor=True, village__code__within=DEMO_COUNTY[:6]
        )
        .order_by("village_id")
        .values_list("village_id", flat=True)
        .first()
    )
    if code is None:
        raise CommandError(f"红花岗区没有 {DEMO_YEAR} 年的贫困村，无法创建村级演示用户")
    return code


def _pad(text: str, width: int) -> str:
    """Pad to `width` terminal columns, a Chinese character taking two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


class Command(BaseCommand):
    help = "演示：在空数据库上迁移、生成遵义市演示数据和各角色演示用户，然后启动网站"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据和用户，不启动网站")
        # Tests generate one county only, to stay fast.
        parser.add_argument("--synth-prefix", default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_serve"] and settings.DEBUG:
            raise CommandError("演示网站不能在调试模式下运行：请取消环境变量 DEBUG 后重试")
        call_command("migrate", interactive=False, verbosity=0)
        if self._demo_is_there():
            self.stderr.write("数据库中已有演示数据和演示用户，跳过载入")
        else:
            self._load(options["synth_prefix"])
        self._print_users()
        if not options["no_serve"]:
            self._serve(options["host"], options["port"])

    def _demo_is_there(self) -> bool:
        from wuzaicun.accounts.models import User

        names = [username for username, _, _ in DEMO_USERS]
        return User.objects_unscoped.filter(username__in=names).count() == len(names)

    def _load(self, synth_prefix: str | None) -> None:
        from wuzaicun.accounts.models import User
        from wuzaicun.accounts.services import create_user
        from wuzaicun.regions.models import VillageYear

        names = {username for username, _, _ in DEMO_USERS}
        if User.objects_unscoped.exclude(username__in=names).exists():
            raise CommandError("数据库中已有其他用户：演示命令只用于空数据库，以免演示账号和公开的演示密码进入真实系统")
        if VillageYear.objects_unscoped.filter(year=DEMO_YEAR, village__code__within=DEMO_CITY[:4]).exists():
            self.stderr.write(f"已有遵义市 {DEMO_YEAR} 年度数据，不再生成合成数据")
        else:
            call_command(
                "synth", scale=DEMO_SCALE, seed=DEMO_SEED, year=DEMO_YEAR, prefix=synth_prefix, stderr=self.stderr
            )
        village = demo_village()
        places = {"village": village, "township": village[:9].ljust(12, "0")}
        try:
            with transaction.atomic():
                for username, role, scope in DEMO_USERS:
                    if User.objects_unscoped.filter(username=username).exists():
                        continue
                    create_user(
                        actor=None, username=username, role=role, scope=places.get(scope, scope),
                        password=DEMO_PASSWORD, full_name=f"演示{self._role_label(role)}", must_change_password=False,
                    )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"已创建 {len(DEMO_USERS)} 个演示用户")
        self._assign_demo_inspector()

    @staticmethod
    def _assign_demo_inspector() -> None:
        """demo_inspector inspects the open plan (for the demo county's picks), so the task can be tried."""
        from wuzaicun.accounts.models import User
        from wuzaicun.verification.models import PlanStatus, SpotCheckPlan

        inspector = User.objects_unscoped.filter(username="demo_inspector").first()
        open_plans = SpotCheckPlan.objects_unscoped.filter(status=PlanStatus.DRAWN, year=DEMO_YEAR)
        if inspector is not None:
            for plan in open_plans:
                plan.inspectors.add(inspector)

    @staticmethod
    def _role_label(role: str) -> str:
        from wuzaicun.accounts.roles import Role

        return str(Role(role).label)

    def _print_users(self) -> None:
        from wuzaicun.accounts.models import User

        users = User.objects_unscoped.filter(username__in=[u for u, _, _ in DEMO_USERS]).select_related("scope")
        by_name = {user.username: user for user in users}
        self.stderr.write(f"演示用户（密码均为 {DEMO_PASSWORD}，仅供演示，切勿用于真实数据）：")
        self.stderr.write(f"  {_pad('用户名', 16)}{_pad('角色', 14)}管辖范围")
        for username, role, _ in DEMO_USERS:
            user = by_name.get(username)
            if user is not None:
                place = f"{user.scope.name}（{user.scope_id}）" if user.scope else "—"
                self.stderr.write(f"  {_pad(username, 16)}{_pad(self._role_label(role), 14)}{place}")
        self.stderr.write("系统管理员、安全管理员、审计管理员须使用双因素认证：首次登录时用手机身份验证器（如 Microsoft "
                          "Authenticator、FreeOTP）扫描页面上的二维码完成设置，并保存显示的恢复码")

    def _serve(self, host: str, port: int) -> None:
        from django.conf import settings
        from waitress import serve

        from wuzaicun.wsgi import application

        missing = [str(path) for _, path in settings.VENDOR_ASSETS if not path.is_dir()]
        if missing:
            self.stderr.write(f"注意：前端资源未安装（{'、'.join(missing)}），页面将没有样式：请先运行 ./dev setup（npm ci）")
        shown = f"[{host}]" if ":" in host else host
        self.stderr.write(f"网站地址：http://{shown}:{port}/ （按 Ctrl+C 停止）")
        if host in ("0.0.0.0", "::"):  # noqa: S104
            self.stderr.write("注意：从其他机器访问时，请把本机的地址或域名加入环境变量 ALLOWED_HOSTS")
        elif host not in settings.ALLOWED_HOSTS:
            self.stderr.write(f"注意：{host} 不在 ALLOWED_HOSTS 中，请通过环境变量 ALLOWED_HOSTS 加入")
        from wuzaicun.jobs.worker import start_in_process

        if start_in_process() is not None:  # the embedded queue's worker: a thread of this process
            self.stderr.write("后台任务（下载中心）在本进程中运行")
        serve(application, host=host, port=port, threads=8)
