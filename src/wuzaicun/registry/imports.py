"""The `people` and `households` templates (DESIGN.md §4.2) for the one tabular engine.

A row whose resident ID is already registered within the importer's scope updates that record
(export → edit → re-import is a round trip); one registered outside the scope is refused; a
number repeated within the file is refused naming the row that holds it first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wuzaicun.accounts.scope import code_in_scope, scoped
from wuzaicun.core.crypto import keys
from wuzaicun.core.identifiers import resident_id_problem, sex_from_resident_id
from wuzaicun.core.masking import is_masked, mask_phone, mask_resident_id
from wuzaicun.core.text import ParseError, parse_date
from wuzaicun.regions.codes import prefix_of
from wuzaicun.regions.models import Level, Region
from wuzaicun.tabular.bulk import insert_rows, rows_by_key, update_rows
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ImportContext,
    RowErrors,
    RowIssue,
    Template,
    bounded_text,
    choice,
    integer,
    number,
    text,
    year,
)

from .changes import party_membership_changed
from .fields import open_phone, open_resident_id, seal_phone, seal_resident_id
from .models import (
    INCOME_PER_HEAD_RANGE,
    PARTY_STATUSES,
    Household,
    Person,
    PoliticalStatus,
    PovertyCause,
    PovertyStatus,
    Rank,
    Sex,
    Unit,
)
from .rules import (
    MASKED_PHONE,
    household_problems,
    masked_id_error,
    normalise_resident_id,
    phone_error,
    sex_error,
)


def _resident_id(raw: Any) -> str:
    number = normalise_resident_id(text(raw))
    if error := masked_id_error(number):
        raise ParseError(error)
    return number


def _phone(raw: Any) -> str:
    value = text(raw)
    if is_masked(value):
        raise ParseError(MASKED_PHONE)
    return value


def _existing(model: type[Person] | type[Household], digests: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """{blind index: (pk, region code)} of records already holding these numbers (any scope).

    Plain SQL: the ORM's per-parameter work on a 2,000-value IN list was a tenth of a large import.
    """
    return rows_by_key(model._meta.db_table, "resident_id_hash", ("id", "region_id"), digests)


class _RegisteredSink:
    """What both templates share: the resident-ID checks, in-file duplicates, insert-or-update."""

    model: type[Person] | type[Household]
    insert_columns: tuple[str, ...]
    update_columns: tuple[str, ...]
    noun: str

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.seen: dict[int, int] = {}
        self.today = timezone.localdate()
        self.inserted = 0
        self.updated = 0
        # The batches (by first line) that held only numbers not registered when checked: the write pass
        # inserts them without looking them up again; the unique blind index refuses one registered meanwhile,
        # and the engine then writes again with every look-up (`rewrite`).
        self.fresh: set[int] = set()
        self.trusting = True
        keys()  # the key ring loaded before the engine forks its check workers (they must share it)

    checks_partial_rows = True

    def sealed_id(self, number: str | None, problems: list[tuple[str, str]]) -> tuple[str, bytes, str, int | None]:
        """(number, ciphertext, blind index, in-file key) of a number; its problem, if any, is added to `problems`
        (then the values are empty). Needs the number alone: a household import runs it in its check workers."""
        if number is None:  # did not parse: its message is already there
            return "", b"", "", None
        # resident_id_error's check, with today's date read once per import rather than once per row
        if problem := resident_id_problem(number, today=self.today):
            problems.append(("身份证号", f"身份证号{problem}"))
            return "", b"", "", None
        sealed, digest = seal_resident_id(number)
        # Keyed by the blind index's first 128 bits as an int: half the memory of the hex string at a
        # million rows, and a collision is as likely as guessing an AES key.
        return number, sealed, digest, int(digest[:32], 16)

    def claim(self, key: int | None, line: int, problems: list[tuple[str, str]]) -> bool:
        """Whether the number (its key) is the file's first of it; a repeat is added to `problems`."""
        if key is None:
            return False
        if (first := self.seen.get(key)) is not None:
            problems.append(("身份证号", f"与第{first}行的身份证号重复"))
            return False
        self.seen[key] = line
        return True

    def checked_id(self, row: dict[str, Any], line: int, problems: list[tuple[str, str]]) -> tuple[str, bytes, str]:
        """The number sealed and hashed; its problem, if any, is added to `problems` (then the values are empty)."""
        number, sealed, digest, key = self.sealed_id(row["resident_id"], problems)
        if not self.claim(key, line, problems):
            return "", b"", ""
        return number, sealed, digest

    def _sorted(self, batch: list[tuple[int, Any]]) -> tuple[list[RowIssue], list[Sequence[Any]], list[Sequence[Any]]]:
        """The batch's issues, rows to insert and rows to update, by the numbers already registered."""
        digest_at = self.insert_columns.index("resident_id_hash")
        update_at = [self.insert_columns.index(c) for c in self.update_columns]
        existing = _existing(self.model, [values[digest_at] for _, values in batch])
        issues: list[RowIssue] = []
        inserts: list[Sequence[Any]] = []
        updates: list[Sequence[Any]] = []
        for line, values in batch:
            found = existing.get(values[digest_at])
            if found is None:
                inserts.append(values)
            elif not code_in_scope(self.ctx.actor, found[1]):
                issues.append(RowIssue(line, "身份证号", "该身份证号无法在此登记，请联系上级管理员核对"))
            else:
                updates.append([values[i] for i in update_at] + [found[0]])
        return issues, inserts, updates

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        issues, _, updates = self._sorted(batch)
        if not issues and not updates:
            self.fresh.add(batch[0][0])
        return issues

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        issues: list[RowIssue]
        updates: list[Sequence[Any]]
        if self.trusting and batch[0][0] in self.fresh:
            issues, inserts, updates = [], [values for _, values in batch], []
        else:  # again, under the lock: insert or update decided now
            issues, inserts, updates = self._sorted(batch)
        if not issues:
            table = self.model._meta.db_table
            self.inserted += insert_rows(table, self.insert_columns, inserts)
            self.updated += self._update(updates)
        return issues

    def _update(self, updates: list[Sequence[Any]]) -> int:
        return update_rows(self.model._meta.db_table, "id", self.update_columns, updates, bump_version=True)

    def rewrite(self) -> None:
        """The write pass failed on a constraint and was rolled back: the next one looks every number up."""
        self.trusting = False
        self.inserted = self.updated = 0

    def summary(self) -> str:
        return f"（新增 {self.inserted}，更新 {self.updated}）"


class HouseholdSink(_RegisteredSink):
    model = Household
    noun = "户主"
    insert_columns = (
        "region_id", "head_name", "resident_id_sealed", "resident_id_hash", "resident_id_masked", "members",
        "status", "identified_year", "exit_year", "cause", "income_per_head", "version",
    )
    update_columns = (
        "region_id", "head_name", "resident_id_sealed", "resident_id_masked", "members", "status",
        "identified_year", "exit_year", "cause", "income_per_head",
    )

    def __init__(self, ctx: ImportContext) -> None:
        super().__init__(ctx)
        self.villages = frozenset(
            scoped(Region, ctx.actor).filter(level=Level.VILLAGE).values_list("code", flat=True)
        )

    def prepare(self, row: dict[str, Any]) -> tuple[list[tuple[str, str]], int | None, tuple[Any, ...] | None]:
        """Everything of the check that needs the row alone (the engine may run it in a worker process): the
        village, the household rules, the number's own check, its sealing and hashing. Returns the problems,
        the number's in-file key and, for a row without problems, the values to write."""
        problems: list[tuple[str, str]] = []
        region = row["region_code"]
        if region is not None and region not in self.villages:
            problems.append(("区划代码", f"“{region}”不是村级区划代码，或不在您的管辖范围内"))
        if None not in (row["status"], row["identified_year"], row["members"]):
            problems += household_problems(status=row["status"], identified_year=row["identified_year"],
                                           exit_year=row["exit_year"], members=row["members"])
        number, sealed, digest, key = self.sealed_id(row["resident_id"], problems)
        if problems:
            return problems, key, None
        income = row["income_per_head"]
        return problems, key, (
            region, row["head_name"], sealed, digest, mask_resident_id(number), row["members"], row["status"],
            row["identified_year"], row["exit_year"], row["cause"], str(income) if income is not None else None, 1,
        )

    def check(self, row: Any, line: int) -> tuple[Any, ...]:
        """A prepared row (`prepare`) checked against the rows before it: a number repeated names the first."""
        problems, key, values = row
        if not self.claim(key, line, problems) or values is None:
            raise RowErrors(problems)
        checked: tuple[Any, ...] = values
        return checked


def _households(ctx: ExportContext) -> QuerySet[Household]:
    queryset = scoped(Household, ctx.actor)
    if ctx.region_code:
        queryset = queryset.filter(region__code__within=prefix_of(ctx.region_code))
    return queryset


def _export_households(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    full = ctx.full_ids  # checked by the engine: REVEAL_ID and a reason
    queryset = _households(ctx)
    for h in queryset.order_by("region_id", "id").iterator(chunk_size=5000):
        yield (
            h.region_id, h.head_name, open_resident_id(h.resident_id_sealed) if full else h.resident_id_masked,
            h.members, h.status, h.identified_year, h.exit_year, h.cause, h.income_per_head,
        )


HOUSEHOLDS = register(
    Template(
        kind="households",
        title="贫困户",
        object_type="household",
        columns=(
            Column("区划代码", "region_code", note="村（社区）的12位统计用区划代码"),
            Column("户主姓名", "head_name", bounded_text(50)),
            Column("身份证号", "resident_id", _resident_id, note="18位，末位可为X", width=22),
            Column("家庭人口", "members", integer(low=1, high=30)),
            Column("贫困状态", "status", choice(PovertyStatus.values), choices=tuple(PovertyStatus.values)),
            Column("识别年度", "identified_year", year),
            Column("脱贫年度", "exit_year", year, required=False),
            Column("致贫原因", "cause", choice(PovertyCause.values), choices=tuple(PovertyCause.values)),
            Column("人均纯收入", "income_per_head", number(INCOME_PER_HEAD_RANGE), required=False, note="元"),
        ),
        sink=HouseholdSink,
        export_rows=_export_households,
        export_count=lambda ctx: _households(ctx).count(),
        carries_ids=True,
    )
)


class PersonSink(_RegisteredSink):
    model = Person
    noun = "人员"
    insert_columns = (
        "region_id", "name", "resident_id_sealed", "resident_id_hash", "resident_id_masked", "sex", "ethnicity",
        "political_status", "party_since", "unit_id", "post", "rank", "phone_sealed", "phone_masked", "version",
    )
    update_columns = (
        "region_id", "name", "resident_id_sealed", "resident_id_masked", "sex", "ethnicity", "political_status",
        "party_since", "unit_id", "post", "rank", "phone_sealed", "phone_masked",
    )

    def __init__(self, ctx: ImportContext) -> None:
        super().__init__(ctx)
        self.regions = frozenset(scoped(Region, ctx.actor).values_list("code", flat=True))
        self.units: dict[tuple[str, str], int | None] = {}  # None: not registered yet, made by `write`
        self.unit_regions: dict[str, str | None] = {}  # a unit's name → the region it places a person in
        self._named: list[tuple[int, str, str]] | None = None

    def check(self, row: dict[str, Any], line: int) -> tuple[Any, ...]:
        problems: list[tuple[str, str]] = []
        region = row.get("region_code") or (self.region_of_unit(row["unit"]) if row["unit"] else None) \
            or self.ctx.region_code
        if not region:
            problems.append(("区划代码", "未填写区划代码，工作单位也不能确定所属区划，导入时也未指定所属区划"
                                         "（命令行 --region）"))
        elif region not in self.regions:
            problems.append(("区划代码", f"“{region}”不存在或不在您的管辖范围内"))
        number, sealed, digest = self.checked_id(row, line, problems)
        if number and (error := sex_error(row["sex"], number)):
            problems.append(("性别", error))
        phone = row["phone"] or ""
        if error := phone_error(phone):
            problems.append(("联系电话", error))
        if problems or not region:
            raise RowErrors(problems)
        unit_id = self._unit(region, row["unit"]) if row["unit"] else None  # an id, or (region, name) to make
        return (
            region, row["name"], sealed, digest, mask_resident_id(number), row["sex"] or sex_from_resident_id(number),
            row["ethnicity"] or "汉族", row["political_status"] or PoliticalStatus.NONE, row["party_since"], unit_id,
            row["post"] or "", row["rank"] or "", seal_phone(phone) if phone else None,
            mask_phone(phone) if phone else "", 1,
        )

    def region_of_unit(self, unit: str) -> str | None:
        """The region a person's 工作单位 places them in: the registered unit's of that name (when one region
        in scope has it), else the one region in scope whose name the unit's name holds — the deepest, so
        遵义市红花岗区农业局 is in 红花岗区 and 中共遵义市委 in 遵义市 — else None (ambiguous or unknown)."""
        if unit not in self.unit_regions:
            registered = set(scoped(Unit, self.ctx.actor).filter(name=unit).values_list("region_id", flat=True))
            if len(registered) == 1:
                self.unit_regions[unit] = registered.pop()
            else:
                found = [(level, code) for level, code, name in self._region_names() if name in unit]
                deepest = max((level for level, _ in found), default=0)
                codes = [code for level, code in found if level == deepest]
                self.unit_regions[unit] = codes[0] if len(codes) == 1 and not registered else None
        return self.unit_regions[unit]

    def _region_names(self) -> list[tuple[int, str, str]]:
        """(level, code, name) of the regions in scope above the village: what a unit's name may name."""
        if self._named is None:
            self._named = list(scoped(Region, self.ctx.actor).filter(level__lt=Level.VILLAGE).values_list(
                "level", "code", "name"))
        return self._named

    def _unit(self, region: str, name: str) -> int | tuple[str, str]:
        """The id of the unit of that name in the region, or its (region, name) when it is still to be made
        (a unit is named, not coded, in the sheet); checking writes nothing."""
        key = (region, name)
        if key not in self.units:
            self.units[key] = Unit.objects_unscoped.filter(region_id=region, name=name).values_list(
                "pk", flat=True).first()
        return self.units[key] or key

    def _update(self, updates: list[Sequence[Any]]) -> int:
        """Update, and tell the apps that count party members whose membership changed (D23)."""
        status_at = self.update_columns.index("political_status")
        before = rows_by_key(Person._meta.db_table, "id", ("political_status",), [u[-1] for u in updates])
        flipped = [u[-1] for u in updates
                   if (before[u[-1]][0] in PARTY_STATUSES) != (u[status_at] in PARTY_STATUSES)]
        count = super()._update(updates)
        party_membership_changed(flipped)
        return count

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        unit_at = self.insert_columns.index("unit_id")
        resolved = []
        for line, values in batch:
            unit = values[unit_at]
            if isinstance(unit, tuple):
                values = (*values[:unit_at], self._made_unit(unit), *values[unit_at + 1:])
            resolved.append((line, values))
        return super().write(resolved)

    def _made_unit(self, key: tuple[str, str]) -> int:
        pk = self.units.get(key)
        if pk is None:
            region, name = key
            unit = Unit.objects_unscoped.filter(region_id=region, name=name).first()
            pk = self.units[key] = (unit or Unit.objects_unscoped.create(region_id=region, name=name)).pk
        return pk


def _people(ctx: ExportContext) -> QuerySet[Person]:
    queryset = scoped(Person, ctx.actor)
    if ctx.region_code:
        queryset = queryset.filter(region__code__within=prefix_of(ctx.region_code))
    return queryset


def _export_people(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    full = ctx.full_ids  # checked by the engine: REVEAL_ID and a reason
    queryset = _people(ctx).select_related("unit")
    for p in queryset.order_by("region_id", "id").iterator(chunk_size=5000):
        yield (
            p.name, open_resident_id(p.resident_id_sealed) if full else p.resident_id_masked, p.sex, p.ethnicity,
            p.political_status, p.unit.name if p.unit else "", p.post, p.rank,
            open_phone(p.phone_sealed) if full else p.phone_masked, p.region_id,
            p.party_since,
        )


PEOPLE = register(
    Template(
        kind="people",
        title="人员",
        object_type="person",
        columns=(
            Column("姓名", "name", bounded_text(50)),
            Column("身份证号", "resident_id", _resident_id, width=22),
            Column("性别", "sex", choice(Sex.values), required=False, choices=tuple(Sex.values),
                   note="可不填，按身份证号推定"),
            Column("民族", "ethnicity", bounded_text(20), required=False),
            Column("政治面貌", "political_status", choice(PoliticalStatus.values), required=False,
                   choices=tuple(PoliticalStatus.values)),
            Column("工作单位", "unit", bounded_text(100), required=False),
            Column("职务", "post", bounded_text(100), required=False),
            Column("职级", "rank", choice(Rank.values), required=False, choices=tuple(Rank.values)),
            Column("联系电话", "phone", _phone, required=False),
            Column("区划代码", "region_code", required=False, note="所属区划；不填则用导入时指定的区划"),
            Column("入党时间", "party_since", lambda raw: parse_date(raw), required=False),
        ),
        sink=PersonSink,
        export_rows=_export_people,
        export_count=lambda ctx: _people(ctx).count(),
        carries_ids=True,
    )
)
