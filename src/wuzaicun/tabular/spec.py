"""How an app declares a spreadsheet template: its columns, how rows are checked and written, how exported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from wuzaicun.core.bounds import NumberRange
from wuzaicun.core.errors import DomainError
from wuzaicun.core.text import (
    MONEY_LIMIT,
    ParseError,
    normalise,
    parse_decimal,
    parse_int,
    parse_money,
    parse_year,
)

Raw = str | int | float | Any  # a cell as read: text, number, date or datetime
_FEN = Decimal("0.01")


def text(raw: Raw) -> str:
    """A cell as normalised text; whole numbers read from a spreadsheet lose their '.0'."""
    if type(raw) is str:
        return normalise(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return normalise(str(raw))


def bounded_text(max_length: int) -> Callable[[Raw], str]:
    """Text of at most `max_length` characters (the database column's size)."""

    def parse(raw: Raw) -> str:
        value = text(raw)
        if len(value) > max_length:
            raise ParseError(f"不能超过{max_length}个字（实为{len(value)}个）")
        return value

    return parse


def choice(options: Sequence[str]) -> Callable[[Raw], str]:
    allowed = frozenset(options)

    def parse(raw: Raw) -> str:
        if raw in allowed:  # the value as typed, already clean: the common case
            return str(raw)
        value = text(raw)
        if value not in allowed:
            raise ParseError(f"“{value}”不是可选值（{'、'.join(options)}）")
        return value

    return parse


def integer(*, low: int | None = None, high: int | None = None) -> Callable[[Raw], int]:
    """A whole number within bounds; a number cell or plain digits skip the text clean-up."""

    def parse(raw: Raw) -> int:
        if type(raw) is int or (type(raw) is str and raw.isdigit() and raw.isascii()):
            value = int(raw)
            if (low is None or value >= low) and (high is None or value <= high):
                return value
        return parse_int(text(raw), low=low, high=high)

    return parse


def year(raw: Raw) -> int:
    """A year (1949–2100); 2016, “2016” and “2016年” are all accepted."""
    if type(raw) is int or (type(raw) is str and len(raw) == 4 and raw.isdigit() and raw.isascii()):
        value = int(raw)
        if 1949 <= value <= 2100:
            return value
    return parse_year(text(raw))


def money(raw: Raw) -> Decimal:
    """An amount in yuan, to the fen; plain digits with a point skip the text clean-up."""
    if type(raw) is str and raw.isascii() and raw.replace(".", "", 1).isdigit():
        amount = Decimal(raw)
        if amount < MONEY_LIMIT:
            return amount.quantize(_FEN)
    elif type(raw) is int and 0 <= raw < MONEY_LIMIT:
        return Decimal(raw).quantize(_FEN)
    return parse_money(text(raw))


def number(bounds: NumberRange) -> Callable[[Raw], Any]:
    """A number within its column's range (`core.bounds.range_of`), decimals rounded to the column's places."""

    def parse(raw: Raw) -> Any:
        value = raw if type(raw) is int or type(raw) is float else parse_decimal(text(raw))
        try:
            return bounds.check(value)
        except DomainError as exc:
            raise ParseError(exc.message) from None

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
    # For a file without this column: (the key of the column its text is derived from, the derivation),
    # the derived text being what a user would have typed here (then parsed as typed); "" derives nothing.
    # The preview shows it.
    derived_from: tuple[str, Callable[[str], str]] | None = None


class RowError(Exception):
    """A problem with one row, naming its column (a header) and a Chinese message."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class RowErrors(Exception):
    """Every problem a check found in one row, so that the user mends the row in one pass: (column, message)
    pairs. A check raises it with what it could check: a column whose value did not parse arrives as None
    and is left to its own message."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("；".join(message for _, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class RowIssue:
    line: int
    column: str
    message: str


# A job's progress hook (jobs.runner.JobRun): (stage "check" or "write", rows so far, issues so far). It may
# raise (the job was cancelled) between two batches; the import then leaves its transaction, rolled back.
ImportProgress = Callable[[str, int, int], None]
# An export's: rows written so far; raising stops the export before its audit row.
ExportProgress = Callable[[int], None]


@dataclass
class ImportContext:
    actor: Any
    year: int | None = None
    region_code: str | None = None
    dry_run: bool = False
    progress: ImportProgress | None = None


class Sink(Protocol):
    """Checks and writes one template's rows, in two passes so that checking never holds the write lock.

    First pass, with no transaction open: `check` does everything that needs only the row and what the
    sink has seen (pure and in-memory checks) and returns what will be written; `flush` makes the
    set-based, read-only database checks of a batch and returns its issues. Neither writes anything.
    Second pass, only when the whole file passed, in one transaction: `write` gets the same batches
    back (spooled by the engine) and writes them, repeating the database look-ups a write depends on
    (a record may have been registered meanwhile); it returns the issues that changed, and then the
    engine rolls everything back.

    A sink whose class sets `checks_partial_rows = True` also gets rows some of whose columns did not parse
    (they arrive as None) and raises RowErrors with every problem it finds, so a row is mended in one pass.

    Optional, for speed (docs/decisions.md D26): a sink with a `prepare(row)` method splits its check in two.
    `prepare` does what needs the row alone — pure, no database, nothing seen before, state only from
    `__init__` — and never raises; the engine may run it in forked worker processes (IMPORT_WORKERS) and
    hands its result to `check`, which runs here in file order (a number repeated names its first row).
    A sink whose `write` trusts the first pass's look-ups has a `rewrite()` method: when the write pass
    breaks a constraint (a record registered meanwhile), the engine rolls back, calls it and writes once more.
    """

    def check(self, row: dict[str, Any], line: int) -> Any: ...

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]: ...

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]: ...

    def summary(self) -> str: ...


@dataclass(frozen=True)
class ExportContext:
    """Who exports what. Resident IDs (and phones) go out masked unless `full_ids` is asked, which needs
    the REVEAL_ID permission and a reason, as revealing one ID on screen does."""

    actor: Any
    year: int | None = None
    region_code: str | None = None
    full_ids: bool = False
    reason: str = ""
    # A list page's other filters (its `Template.filters`), so that the export is the list as filtered.
    filters: Mapping[str, str] = field(default_factory=dict)
    progress: ExportProgress | None = None


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    object_type: str
    columns: tuple[Column, ...]
    sink: Callable[[ImportContext], Sink]
    export_rows: Callable[[ExportContext], Iterable[Sequence[Any]]] | None = None
    # How many rows the export will have (one COUNT): over settings.JOB_EXPORT_ROWS the export page runs it as
    # a job (下载中心). A template without it always exports in the request.
    export_count: Callable[[ExportContext], int] | None = None
    needs_year: bool = False
    import_perm: str = "import_data"
    export_perm: str = "export_data"  # the audit logs: the audit administrator's (三员分立)
    importable: bool = True  # False: an export-only sheet (results the system computes)
    carries_ids: bool = False  # its export holds resident IDs: masked unless a full-ID export is asked
    extra_headers: tuple[str, ...] = field(default=())
    # (query-string key, Chinese label) of the list page's filters this export honours, besides year and region
    filters: tuple[tuple[str, str], ...] = ()

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


class ExportOnlySink:
    """The sink of a sheet the system computes (results, gaps, queues): it is exported, never imported."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx

    def check(self, row: dict[str, Any], line: int) -> None:
        raise RowError("", "该表由系统生成，只能导出，不能导入")

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return []

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        return []

    def summary(self) -> str:
        return ""
