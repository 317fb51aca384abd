"""Helpers for the `wuzaicun` management commands: the acting user, the options of a command that writes a
document (year, region, acting user, output file), and writing that document in place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError, CommandParser

from .errors import DomainError, NotFound
from .operator import OPERATOR


def acting_user(username: str | None) -> Any:
    """The user a command acts as (`--as NAME`), else the server's operator, with no scope limit."""
    if not username:
        return OPERATOR
    from wuzaicun.accounts.models import User

    user = User.objects_unscoped.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user


def require_migrated() -> None:
    """Refuse to work on a database with unapplied migrations (an empty one included), in Chinese."""
    from django.core.management import call_command

    try:
        call_command("migrate", check_unapplied=True, verbosity=0)
    except SystemExit as exc:
        raise CommandError("数据库尚有未执行的迁移：请先运行 wuzaicun migrate") from exc


def region_option(text: str | None) -> str | None:
    """`--region`: a 12-digit code or its 2/4/6/9-digit prefix, as the 12-digit code; None when not given."""
    if not text:
        return None
    from wuzaicun.regions.codes import code_from_prefix

    try:
        return code_from_prefix(text)
    except ValueError:
        raise CommandError(f"区划代码“{text}”无效，应为12位区划代码或其2/4/6/9位前缀") from None


def add_document_options(parser: CommandParser, *, suffix: str, acting: str) -> None:
    """--year, --region, --as and -o of a command that writes one document (`wuzaicun report`, `wuzaicun lists`)."""
    parser.add_argument("--year", type=int, help="年度（默认：工作年度）")
    parser.add_argument("--region", help="区划代码或其前缀（默认：管辖范围）")
    parser.add_argument("--as", dest="as_user", help=f"以该用户的{acting}")
    parser.add_argument("-o", "--output", required=True, help=f"输出文件（{suffix}）")


def document_target(output: str, suffix: str) -> Path:
    """The -o file, checked before any work: its suffix, and a directory that exists."""
    target = Path(output)
    if target.suffix.lower() != suffix:
        raise CommandError(f"输出文件“{target}”应以 {suffix} 结尾")
    if not target.parent.is_dir():
        raise CommandError(f"输出目录“{target.parent}”不存在")
    return target


def year_option(year: int | None) -> int:
    """--year, else the working year (the latest with data)."""
    from wuzaicun.responsibility.selectors import working_year

    year = year or working_year()
    if not 1949 <= year <= 2100:
        raise CommandError(f"年度“{year}”无效，应为 1949–2100 之间的四位数字")
    return year


@contextmanager
def written_in_place(target: Path, *, region: str | None) -> Iterator[IO[bytes]]:
    """The document is written beside `target` and renamed into place: a refused or failed one leaves no file
    behind. A region out of scope and a refusal become the command's error, in Chinese."""
    handle, partial = tempfile.mkstemp(suffix=f"{target.suffix}.part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        os.replace(partial, target)
    except NotFound:
        raise CommandError(f"区划代码“{region}”不存在或不在您的管辖范围内") from None
    except DomainError as error:
        raise CommandError(error.message) from None
    finally:
        Path(partial).unlink(missing_ok=True)

