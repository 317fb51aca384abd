"""The import/export engine: find the header, map columns, parse, check, write — all or nothing.

Two passes, so that checking a large file never holds the database's write lock (on SQLite there is
one, and every other user's page view or save waits for it). The first pass reads the file, parses
and checks every row through the template's sink with no transaction open, and spools the checked
batches to a temporary file; a problem stops spooling but not checking, so the user sees every
problem of the file at once. Only when the whole file passed does the second pass open one
transaction and write the spooled batches: all or nothing, holding the lock only while inserting.
A dry run is the first pass alone and writes nothing.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import code_in_scope
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action, Result
from wuzaicun.audit.services import record
from wuzaicun.core.errors import Conflict, DomainError, NotFound
from wuzaicun.core.text import ParseError, normalise

from .bulk import bulk_session
from .readers import Row, iter_rows
from .spec import ExportContext, ImportContext, RowError, RowErrors, RowIssue, Template
from .writers import write_csv, write_xlsx

BATCH_SIZE = 2_000
HEADER_SEARCH_ROWS = 10
MAX_KEPT_ISSUES = 10_000


@dataclass
class ImportReport:
    kind: str
    total_rows: int = 0
    imported: int = 0
    header_line: int = 0
    issue_count: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    dry_run: bool = False
    summary: str = ""
    seconds: float = 0.0
    columns: dict[str, int] = field(default_factory=dict)  # header → sheet column index
    failed_lines: int = 0  # lines with at least one issue, counted exactly though only the first issues are kept
    # One bit per sheet line (IMPORT_MAX_ROWS bounds the lines: ~140 KB at a million) marks a failed line.
    _failed: bytearray = field(default_factory=bytearray, repr=False)

    @property
    def ok(self) -> bool:
        return self.issue_count == 0

    def add(self, issue: RowIssue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_KEPT_ISSUES:
            self.issues.append(issue)
        byte, bit = divmod(issue.line, 8)
        if byte >= len(self._failed):
            self._failed.extend(bytes(byte + 1 - len(self._failed) + 4096))
        if not self._failed[byte] & (1 << bit):
            self._failed[byte] |= 1 << bit
            self.failed_lines += 1


class HeaderNotFound(DomainError):
    code = "header_not_found"


class NoDataRows(DomainError):
    code = "no_data_rows"


def header_key(value: Any) -> str:
    """A header cell as compared: no spaces, no required-marker star, no trailing note in brackets."""
    text = normalise(str(value or "")).replace(" ", "").lstrip("*＊")
    for bracket in ("(", "（"):
        if bracket in text and text.index(bracket) > 0:
            text = text[: text.index(bracket)]
    return text


def locate_header(template: Template, rows: Iterator[tuple[int, Row]]) -> tuple[int, dict[str, int]]:
    """The header line and {column key: index}, found among the first rows (title rows may precede it)."""
    wanted = {c.header: c for c in template.columns}
    best: tuple[int, set[str]] = (0, set())
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            line, values = next(rows)
        except StopIteration:
            break
        found: dict[str, int] = {}
        for index, value in enumerate(values):
            key = header_key(value)
            if key in wanted and key not in found:
                found[key] = index
        if found and all(c.header in found for c in template.columns if c.required):
            return line, {wanted[h].key: i for h, i in found.items()}
        if len(found) > len(best[1]):
            best = (line, set(found))
    if best[0]:
        missing = [c.header for c in template.columns if c.required and c.header not in best[1]]
        raise HeaderNotFound(f"第{best[0]}行的表头缺少必填列：{'、'.join(missing)}")
    raise HeaderNotFound(
        f"前{HEADER_SEARCH_ROWS}行中没有找到表头；“{template.title}”模板的表头为：{'、'.join(template.headers)}"
    )


def _blank(value: Any) -> bool:
    return value is None or (value.__class__ is str and (not value or value.isspace()))


def run_import(template: Template, path: Path, ctx: ImportContext, *, source_name: str = "") -> ImportReport:
    """Import a file all-or-nothing. Returns the report; nothing is written when it lists any issue."""
    started = time.perf_counter()
    report = ImportReport(kind=template.kind, dry_run=ctx.dry_run)
    rows = iter_rows(path)
    report.header_line, mapping = locate_header(template, rows)
    index_of = {c.header: mapping[c.key] for c in template.columns if c.key in mapping}
    report.columns = index_of
    with bulk_session(), _spool() as spool:
        # First pass: no transaction, nothing written; the checked batches go to the spool.
        sink = template.sink(ctx)
        check = sink.check
        plan = _RowPlan(
            # The per-row loop is the import's hot path (a million rows): plain tuples, no attribute look-ups.
            columns=[(c.key, mapping[c.key], c.parse, c.required, c.header) for c in template.columns
                     if c.key in mapping],
            absent={c.key: None for c in template.columns if c.key not in mapping},
            derived=[(c.key, mapping[c.derived_from[0]], c.derived_from[1], c.parse) for c in template.columns
                     if c.key not in mapping and c.derived_from and c.derived_from[0] in mapping],
            # A sink that can check a row whose other columns did not parse says so: the user then sees every
            # problem of the row in one pass. Others see only rows that parsed.
            partial=getattr(sink, "checks_partial_rows", False),
            prepare=getattr(sink, "prepare", None),
        )
        batch: list[tuple[int, Any]] = []
        progress = ctx.progress
        for line, cleaned, problems, checkable in _parsed_rows(plan, rows, import_workers()):
            report.total_rows += 1
            if progress is not None and not report.total_rows % BATCH_SIZE:
                progress("check", report.total_rows, report.issue_count)
            if not checkable:
                for issue in problems:
                    report.add(issue)
                continue
            try:
                checked = check(cleaned, line)
            except RowError as exc:
                problems.append(RowIssue(line, exc.column, exc.message))
            except RowErrors as exc:
                problems += [RowIssue(line, column, message) for column, message in exc.problems]
            if problems:
                # One message a column: a value that did not parse is not also checked against the records.
                seen: set[str] = set()
                for issue in problems:
                    if issue.column not in seen:
                        seen.add(issue.column)
                        report.add(issue)
                continue
            batch.append((line, checked))
            if len(batch) >= BATCH_SIZE:
                _check_batch(sink, batch, report, spool if not ctx.dry_run else None)
        _check_batch(sink, batch, report, spool if not ctx.dry_run else None)
        if progress is not None:
            progress("check", report.total_rows, report.issue_count)
        if report.total_rows == 0:
            raise NoDataRows(f"表头（第{report.header_line}行）之后没有数据行：文件中没有可导入的数据，未导入任何数据")
        if report.ok and not ctx.dry_run:
            _write(template, sink, spool, ctx, report, source_name or path.name)
    report.issues.sort(key=lambda i: (i.line, index_of.get(i.column, -1)))
    report.seconds = time.perf_counter() - started
    return report


def import_workers() -> int:
    """How many processes check a large file's rows (settings.IMPORT_WORKERS): 1, this one alone."""
    return max(1, int(getattr(settings, "IMPORT_WORKERS", 1)))


@dataclass(frozen=True)
class _RowPlan:
    """How a sheet row becomes what the sink checks: the same in the importing process and in the workers."""

    columns: list[tuple[str, int, Callable[[Any], Any], bool, str]]
    absent: dict[str, None]
    derived: list[tuple[str, int, Callable[[str], str], Callable[[Any], Any]]]
    partial: bool
    prepare: Callable[[dict[str, Any]], Any] | None


# (line, the cleaned row or what the sink's `prepare` made of it, the problems so far, whether `check` gets it)
_Parsed = tuple[int, Any, list[RowIssue], bool]


def _parse_rows(plan: _RowPlan, chunk: Iterable[tuple[int, Row]]) -> list[_Parsed]:
    """Parse each non-blank row's cells by its column and `prepare` it: pure, needs no database."""
    columns, absent, derived, partial, prepare = plan.columns, plan.absent, plan.derived, plan.partial, plan.prepare
    out: list[_Parsed] = []
    for line, values in chunk:
        width = len(values)
        if values.count(None) + values.count("") == width:
            continue  # a blank line (a million of them cost a second, not a check per column)
        cleaned: dict[str, Any] = absent.copy()
        problems: list[RowIssue] = []
        filled = 0
        for key, index, parse, required, header in columns:
            raw = values[index] if index < width else None
            if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
                if required:
                    problems.append(RowIssue(line, header, "必填项为空"))
                cleaned[key] = None
                continue
            filled += 1
            try:
                cleaned[key] = parse(raw)
            except ParseError as exc:
                problems.append(RowIssue(line, header, str(exc)))
                cleaned[key] = None
        if not filled and all(_blank(v) for v in values):
            continue  # a blank row; one with text only in ignored columns is still checked
        for key, index, derive, parse_derived in derived:
            source = values[index] if index < width else None
            typed = derive(str(source)) if source not in (None, "") else ""
            cleaned[key] = parse_derived(typed) if typed else None
        if problems and not partial:
            out.append((line, None, problems, False))
            continue
        if prepare is not None:
            try:
                cleaned = prepare(cleaned)
            except RowError as exc:
                out.append((line, None, [*problems, RowIssue(line, exc.column, exc.message)], False))
                continue
            except RowErrors as exc:
                out.append((line, None, [*problems, *(RowIssue(line, c, m) for c, m in exc.problems)], False))
                continue
        out.append((line, cleaned, problems, True))
    return out


# Lines a worker gets at a time (a few milliseconds of work), and the lines a file must have before workers
# start: a small file is checked faster than two processes start.
WORK_CHUNK = 1_000
PARALLEL_MIN_LINES = 10_000
_worker_plan: _RowPlan | None = None  # the plan a forked worker inherits


def _work(chunk: list[tuple[int, Row]]) -> list[_Parsed]:
    assert _worker_plan is not None
    return _parse_rows(_worker_plan, chunk)


def _parsed_rows(plan: _RowPlan, rows: Iterator[tuple[int, Row]], workers: int) -> Iterator[_Parsed]:
    """The parsed rows in file order: parsed here, or by `workers` forked processes when the sink can `prepare`.

    Only what needs the row alone runs in a worker (the columns' parsing and the sink's `prepare`: for
    households the rules, the sealing and the hashing); the checks that need the rows before (a number
    repeated in the file names its first row) and the database stay here, in file order. The file is read
    here and handed out in chunks, at most two a worker ahead, so memory stays flat.
    """
    if workers < 2 or plan.prepare is None or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in _chunks(rows, WORK_CHUNK):
            yield from _parse_rows(plan, chunk)
        return
    head = list(islice(rows, PARALLEL_MIN_LINES))
    if len(head) < PARALLEL_MIN_LINES:
        yield from _parse_rows(plan, head)
        return
    global _worker_plan
    _worker_plan = plan
    try:
        # Forked, the workers share the sink as it is now (its look-ups, the key ring) and the settings, and
        # touch no database connection; the pool is ended (terminated) when the pass ends or fails.
        # The workers make short-lived rows without cycles: no cyclic collector there, and none touching (and so
        # copying) the pages they share with this process.
        gc.freeze()
        try:
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker)
        finally:
            gc.unfreeze()
        with pool:
            pending: deque[Any] = deque()
            for chunk in _chunks(chain(head, rows), WORK_CHUNK):
                pending.append(pool.apply_async(_work, (chunk,)))
                if len(pending) > 2 * workers:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        _worker_plan = None


def _start_worker() -> None:
    """A forked worker's start: the default end on SIGTERM, which ends the pool, and Ctrl-C left to this process.
    A fork inherits the parent's handlers: a job worker's (a warm shutdown on SIGTERM) would take the pool's end
    for a request to stop and leave the pass waiting for its workers for ever. No cyclic collector (above)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()


def _chunks(rows: Iterable[tuple[int, Row]], size: int) -> Iterator[list[tuple[int, Row]]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _check_batch(sink: Any, batch: list[tuple[int, Any]], report: ImportReport, spool: Any) -> None:
    """The batch's database checks (read-only); a batch is spooled for writing while the file is clean."""
    if not batch:
        return
    for issue in sink.flush(batch):
        report.add(issue)
    if spool is not None and report.ok:
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    batch.clear()


def _write(template: Template, sink: Any, spool: Any, ctx: ImportContext, report: ImportReport, name: str) -> None:
    """Second pass: write the spooled batches and the import's audit row in one transaction.

    A sink may trust its first pass's look-ups and skip them (a household import inserts the numbers that
    were not registered without looking them up again); a number registered meanwhile then breaks a unique
    index, everything is rolled back, and the sink's `rewrite` makes the next pass look every number up.
    """
    rewrite = getattr(sink, "rewrite", None)
    try:
        try:
            _write_once(template, sink, spool, ctx, report, name)
        except IntegrityError:
            if rewrite is None:
                raise
            rewrite()
            _write_once(template, sink, spool, ctx, report, name)
    except IntegrityError:
        report.imported = 0
        raise Conflict("导入期间有人修改了相同的数据，未导入任何数据，请重新导入") from None


def _write_once(template: Template, sink: Any, spool: Any, ctx: ImportContext, report: ImportReport,
                name: str) -> None:
    spool.seek(0)
    written = 0
    with transaction.atomic():
        while report.ok:
            try:
                batch = pickle.load(spool)  # noqa: S301 - our own file, written above by this process
            except EOFError:
                break
            for issue in sink.write(batch):
                report.add(issue)
            written += len(batch)
            if ctx.progress is not None:  # a cancel raises here: the whole transaction rolls back
                ctx.progress("write", written, report.issue_count)
        if not report.ok:  # a record changed between the passes (registered meanwhile elsewhere)
            transaction.set_rollback(True)
            return
        report.imported = report.total_rows
        report.summary = sink.summary()
        record(
            actor=ctx.actor,
            action=Action.IMPORT,
            object_type=template.object_type,
            region_code=ctx.region_code or "",
            summary=f"导入{template.title} {report.imported} 行（{name}）{report.summary}",
        )


@contextmanager
def _spool() -> Iterator[Any]:
    """A temporary file beside the uploads for the checked batches: flat memory at a million rows."""
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder, prefix="import-") as handle:
        yield handle


def issue_map(report: ImportReport) -> dict[int, dict[int, str]]:
    """{sheet line: {column index (-1 for the row): reason}} for the marked error workbook."""
    out: dict[int, dict[int, str]] = {}
    for issue in report.issues:
        index = report.columns.get(issue.column, -1)
        cell = out.setdefault(issue.line, {})
        cell[index] = f"{cell[index]}；{issue.message}" if index in cell else f"{issue.column}：{issue.message}"
    return out


def export_to_xlsx(template: Template, ctx: ExportContext, target: Path | IO[bytes]) -> int:
    """Write the template's export rows (same columns as the import) to .xlsx; checked and audited once."""
    return _export(template, ctx, lambda rows: write_xlsx(target, title=template.title, headers=template.headers,
                                                          rows=rows))


def export_to_csv(template: Template, ctx: ExportContext, target: Path | IO[str]) -> int:
    """The same export as .csv in UTF-8 with a BOM (so Excel reads the Chinese headers).

    A path is opened only once the export is allowed, so a refusal leaves no file behind.
    """

    def write(rows: Iterable[Sequence[Any]]) -> int:
        if isinstance(target, Path):
            with target.open("w", encoding="utf-8-sig", newline="") as fh:
                return write_csv(fh, headers=template.headers, rows=rows)
        target.write("\ufeff")
        return write_csv(target, headers=template.headers, rows=rows)

    return _export(template, ctx, write)


def _export(template: Template, ctx: ExportContext, write: Callable[[Iterable[Sequence[Any]]], int]) -> int:
    """Every export goes through here: permission, scope, the full-ID rule, then one audit row.

    Resident IDs go out masked (the internal profile, as on screen) unless a full-ID export is asked:
    that needs REVEAL_ID and a reason, and the audit row keeps both with the row count and the region.
    A region outside the actor's scope is refused like a missing record; the refusal is logged under
    the actor's own region, so nothing of it shows in the other county's log.
    """
    if template.export_rows is None:
        raise DomainError(f"“{template.title}”不支持导出", code="export_unsupported")
    actor = ctx.actor
    require_perm(actor, Perm(template.export_perm))
    own_region = getattr(actor, "scope_id", "") or ""
    if ctx.region_code and not code_in_scope(actor, ctx.region_code):
        with transaction.atomic():
            record(actor=actor, action=Action.DENIED, object_type=template.object_type, region_code=own_region,
                   result=Result.REFUSED, summary=f"导出{template.title}被拒：所选区划不存在或不在管辖范围内")
        raise NotFound()
    reason = ctx.reason.strip()[:100]
    if ctx.full_ids:
        if not template.carries_ids:
            raise DomainError(f"“{template.title}”不含身份证号，无需导出完整身份证号", code="no_resident_ids")
        require_perm(actor, Perm.REVEAL_ID)
        if not reason:
            raise DomainError("导出完整身份证号须填写导出原因", field="导出原因", code="reason_required")
    region = ctx.region_code or own_region
    # The rows are read outside any transaction: on SQLite every atomic block begins IMMEDIATE, taking the
    # one write lock, and a minute-long export holding it made other users' writes fail. The audit row is
    # written afterwards in its own short transaction; an export that fails on the way leaves no row.
    rows = template.export_rows(ctx)
    count = write(rows if ctx.progress is None else _reported(rows, ctx.progress))
    with transaction.atomic():
        if ctx.full_ids:
            note = f"（完整身份证号，原因：{reason}）"
        else:
            note = "（身份证号已脱敏）" if template.carries_ids else ""
        changes: dict[str, Any] = {"year": ctx.year, "region": region or None, "rows": count, **ctx.filters}
        if template.carries_ids:
            changes["full_ids"] = ctx.full_ids
        if ctx.full_ids:
            changes["reason"] = reason
        record(
            actor=actor,
            action=Action.EXPORT,
            object_type=template.object_type,
            region_code=region,
            summary=f"导出{template.title} {count} 行{note}",
            changes=changes,
        )
    return count


def _reported(rows: Iterable[Sequence[Any]], progress: Callable[[int], None]) -> Iterator[Sequence[Any]]:
    """The rows, telling `progress` the count every thousand (it may raise to stop the export)."""
    count = 0
    for row in rows:
        yield row
        count += 1
        if not count % 1000:
            progress(count)
    progress(count)


def describe_issue(issue: RowIssue) -> str:
    return f"第{issue.line}行 [{issue.column}] {issue.message}"


def format_issues(report: ImportReport, limit: int | None = None) -> Sequence[str]:
    lines = [describe_issue(i) for i in report.issues[:limit]]
    if report.issue_count > len(lines):
        lines.append(f"……另有 {report.issue_count - len(lines)} 处问题未列出")
    return lines
