"""How an app declares a spreadsheet template: its columns, how rows are checked and written, how exported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wuzaicun.core.text import ParseError, normalise

Raw = str | int | float | Any  # a cell as read: text, number, date or datetime


def text(raw: Raw) -> str:
    """A cell as normalised text; whole numbers read from a spreadsheet lose their '.0'."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return normalise(str(raw))


def choice(options: Sequence[str]) -> Callable[[Raw], str]:
    def parse(raw: Raw) -> str:
        value = text(raw)
        if value not in options:
            raise ParseError(f"“{value}”不是可选值（{'、'.join(options)}）")
        return value

    return parse


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[Raw], Any] = text
    required: bool = True
    choices: tuple[str, ...] = ()
    note: str = ""
    width: int = 14


class RowError(Exception):
    """A problem with one row, naming its column (a header) and a Chinese message."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class RowIssue:
    line: int
    column: str
    message: str


@dataclass
class ImportContext:
    actor: Any
    year: int | None = None
    region_code: str | None = None
    dry_run: bool = False


class Sink(Protocol):
    """Checks and writes one template's rows.

    `check` does everything that needs only the row and what the sink has seen (pure and in-memory
    checks) and returns what `flush` will write; `flush` does the set-based database checks of a batch
    and, when `write` is true, inserts it. It returns the batch's issues.
    """

    def check(self, row: dict[str, Any], line: int) -> Any: ...

    def flush(self, batch: list[tuple[int, Any]], *, write: bool) -> list[RowIssue]: ...

    def summary(self) -> str: ...


@dataclass(frozen=True)
class ExportContext:
    actor: Any
    year: int | None = None
    region_code: str | None = None


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    object_type: str
    columns: tuple[Column, ...]
    sink: Callable[[ImportContext], Sink]
    export_rows: Callable[[ExportContext], Iterable[Sequence[Any]]] | None = None
    needs_year: bool = False
    import_perm: str = "import_data"
    extra_headers: tuple[str, ...] = field(default=())

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]
