"""`wuzaicun grade --year Y [--region CODE] [--role ROLE] [--confirm|--lock] [--json] [--as USER]`: grade the year's
cadres (六定一化考核) as the page's 计算等次 does, then confirm or lock; prints a table in Chinese or JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wuzaicun.cadres.models import CadreRole, GradeStatus
from wuzaicun.cadres.selectors.grading import grades_for
from wuzaicun.cadres.services.grading import confirm_grades, grade_cadres, lock_grades
from wuzaicun.core.commands import acting_user
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

ROLES = {**{str(label): value for value, label in CadreRole.choices}, **{v: v for v in CadreRole.values}}


class Command(BaseCommand):
    help = "六定一化考核：计算干部考核等次（可确认、锁定），打印结果"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
        parser.add_argument("--region", help="计算范围的区划代码或其前缀（默认：您的管辖范围）；比例限额在此范围内计算")
        parser.add_argument("--role", help="考核对象：第一书记 / 驻村干部 / 村党组织书记（或 first_secretary / resident / "
                                           "village_secretary）；默认三类都计算")
        step = parser.add_mutually_exclusive_group()
        step.add_argument("--confirm", action="store_true", help="计算后确认等次")
        step.add_argument("--lock", action="store_true", help="计算、确认后锁定等次（县级或以上）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--as", dest="as_user", help="以该用户的身份和管辖范围执行（默认：系统）")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options["as_user"])
        year = options["year"] or working_year()
        if options["role"] and options["role"] not in ROLES:
            raise CommandError(f"考核对象“{options['role']}”无效，应为第一书记、驻村干部或村党组织书记")
        roles = [ROLES[options["role"]]] if options["role"] else list(CadreRole.values)
        try:
            region = region_param(options["region"])
            results = [self._one(actor, year, role, region, options) for role in roles]
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps({"year": year, "region": region or "", "roles": results}, ensure_ascii=False,
                                         indent=1))
            return
        for result in results:
            self._table(result)

    def _one(self, actor: Any, year: int, role: str, region: str | None, options: dict[str, Any]) -> dict[str, Any]:
        run = grade_cadres(actor=actor, year=year, role=role, region=region)
        out = run.as_json() | {"confirmed": 0, "locked": 0}
        nobody = run.graded + run.kept == 0  # no cadre of this role in the region: nothing to confirm or lock
        if (options["confirm"] or options["lock"]) and not nobody:
            try:
                out["confirmed"] = confirm_grades(actor=actor, year=year, role=role, region=region)
            except DomainError:
                out["confirmed"] = 0  # nothing new to confirm (already confirmed, or every cadre lacks data)
        if options["lock"] and not nobody:
            out["locked"] = lock_grades(actor=actor, year=year, role=role, region=region)
        rows = grades_for(actor, year=year, role=role, region=region).values_list(
            "person_id", "person__name", "region_id", "region__name", "total", "rank", "grade", "missing", "status")
        out["rows"] = [{"person_id": pk, "name": name, "village": village, "village_name": village_name,
                        "total": None if total is None else str(total), "rank": rank, "grade": grade,
                        "missing": missing, "status": status}
                       for pk, name, village, village_name, total, rank, grade, missing, status in rows.iterator()]
        return out

    def _table(self, result: dict[str, Any]) -> None:
        counts = "，".join(f"{g} {n} 人" for g, n in result["counts"].items()) or "无"
        self.stdout.write(f"{result['year']}年度{result['role_label']}：计算 {result['graded']} 人，已确认保持不变 "
                          f"{result['kept']} 人，缺数据 {result['missing']} 人；等次：{counts}"
                          + (f"；本次确认 {result['confirmed']} 人" if result["confirmed"] else "")
                          + (f"；锁定 {result['locked']} 人" if result["locked"] else ""))
        if result["skipped"]:
            self.stderr.write(f"未启用的指标（提供数据的模块未安装，已跳过）：{'、'.join(result['skipped'])}")
        self.stdout.write("排名\t姓名\t所在村\t综合得分\t等次\t状态")
        for row in result["rows"]:
            self.stdout.write(f"{row['rank'] or '—'}\t{row['name']}\t{row['village_name']}\t{row['total'] or '缺数据'}\t"
                              f"{row['grade'] or '—'}\t{GradeStatus(row['status']).label}")

