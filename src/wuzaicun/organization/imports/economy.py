"""The `entities` template (DESIGN.md §4.2: one row = an entity and one year's income) and the 空壳村 export.

An entity already registered in scope — by its credit code, else by village and name — is updated; a
credit code registered to an entity outside the importer's scope is refused without naming where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from wuzaicun.accounts.scope import narrowed, scoped
from wuzaicun.core.text import ParseError, parse_date
from wuzaicun.regions.models import Level, Region
from wuzaicun.tabular.registry import register
from wuzaicun.tabular.spec import (
    Column,
    ExportContext,
    ExportOnlySink,
    ImportContext,
    RowErrors,
    RowIssue,
    Template,
    bounded_text,
    number,
    text,
    year,
)

from ..models.economy import CollectiveEntity, EntityIncome, EntityKind
from ..rules.economy import KIND_BY_LABEL, NAME_MAX, entity_problems, normalise_credit_code, shell_reason
from ..selectors.economy import entities_for, shell_villages
from ..services.economy import CODE_TAKEN, COLLECTIVE_RANGE, OPERATING_RANGE

Identity = tuple[str, str]  # ("code", credit code) or ("name", village + "/" + name)
Found = tuple[int, str, str, str | None]  # pk, village, name, credit code


def _kind(raw: Any) -> str:
    value = text(raw)
    if value not in KIND_BY_LABEL:
        raise ParseError(f"“{value}”不是实体类型（{'、'.join(KIND_BY_LABEL)}）")
    return KIND_BY_LABEL[value]


def _credit_code(raw: Any) -> str:
    value = normalise_credit_code(text(raw))
    for _, message in entity_problems(name="-", kind=EntityKind.OTHER, credit_code=value, founded_on=None):
        raise ParseError(message)
    return value


def _date(raw: Any) -> dt.date:
    return parse_date(raw if isinstance(raw, dt.date | int | float) else text(raw))


class EntitySink:
    checks_partial_rows = True

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.villages = frozenset(scoped(Region, ctx.actor).filter(level=Level.VILLAGE).values_list("code", flat=True))
        self.allowed = frozenset(
            narrowed(scoped(Region, ctx.actor), ctx.region_code).filter(level=Level.VILLAGE).values_list("code", flat=True)
        ) if ctx.region_code else self.villages
        self.seen: dict[tuple[Identity, int], int] = {}
        self.today = timezone.localdate()
        self.created = 0
        self.updated = 0
        self.incomes = 0

    def check(self, row: dict[str, Any], line: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        if row["village"] is not None and row["village"] not in self.allowed:
            problems.append(("区划代码", f"“{row['village']}”不是村级区划代码，或不在您的管辖范围内"))
        if row["year"] is not None and self.ctx.year is not None and row["year"] != self.ctx.year:
            problems.append(("年度", f"年度 {row['year']} 与导入时指定的 {self.ctx.year} 不一致"))
        if row["founded_on"] is not None and row["founded_on"] > self.today:
            problems.append(("成立日期", f"成立日期 {row['founded_on']} 晚于今天"))
        row["credit_code"] = row["credit_code"] or ""
        identity: Identity = (("code", row["credit_code"]) if row["credit_code"]
                              else ("name", f"{row['village']}/{row['name']}"))
        if row["year"] is not None and row["name"] is not None and row["village"] is not None:
            if (first := self.seen.get((identity, row["year"]))) is not None:
                problems.append(("年度", f"与第{first}行是同一实体同一年度"))
            else:
                self.seen[(identity, row["year"])] = line
        if problems:
            raise RowErrors(problems)
        row["identity"] = identity
        return row

    def flush(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        found = self._lookups(batch)
        return [issue for line, row in batch if (issue := self._resolve(line, row, found)) is not None]

    def _lookups(self, batch: list[tuple[int, Any]]) -> tuple[dict[str, Found], dict[tuple[str, str], Found]]:
        codes = [r["credit_code"] for _, r in batch if r["credit_code"]]
        # every registered code, in scope or not: a code is unique everywhere
        by_code = {str(c): (pk, v, n, c) for pk, v, n, c in CollectiveEntity.objects_unscoped.filter(
            credit_code__in=codes).values_list("pk", "village_id", "name", "credit_code")}
        names = Q(pk__in=[])
        for _, r in batch:
            names |= Q(village_id=r["village"], name=r["name"])
        by_name = {(v, n): (pk, v, n, c) for pk, v, n, c in scoped(CollectiveEntity, self.ctx.actor).filter(
            names).values_list("pk", "village_id", "name", "credit_code")}
        return by_code, by_name

    def _resolve(self, line: int, row: dict[str, Any],
                 found: tuple[dict[str, Found], dict[tuple[str, str], Found]]) -> RowIssue | None:
        """The row's problem with what is registered, else None; sets row["entity"] (a pk, or None: new)."""
        by_code, by_name = found
        row["entity"] = None
        same_name = by_name.get((row["village"], row["name"]))
        if row["credit_code"] and (registered := by_code.get(row["credit_code"])) is not None:
            if registered[1] not in self.villages:
                return RowIssue(line, "统一社会信用代码", CODE_TAKEN)
            if same_name is not None and same_name[0] != registered[0]:
                return RowIssue(line, "名称", "本村已登记同名的另一实体（统一社会信用代码不同）")
            row["entity"] = registered[0]
        elif same_name is not None:
            if row["credit_code"] and same_name[3] and same_name[3] != row["credit_code"]:
                return RowIssue(line, "统一社会信用代码", "本村已登记同名实体，其统一社会信用代码与本行不同")
            row["entity"] = same_name[0]
        return None

    def write(self, batch: list[tuple[int, Any]]) -> list[RowIssue]:
        found = self._lookups(batch)  # again, in the write transaction
        issues = [issue for line, row in batch if (issue := self._resolve(line, row, found)) is not None]
        if issues:
            return issues
        rows = [r for _, r in batch]
        made: dict[Identity, int] = {}
        new: dict[Identity, CollectiveEntity] = {}
        for r in rows:
            if r["entity"] is None and r["identity"] not in new:
                new[r["identity"]] = CollectiveEntity(
                    village_id=r["village"], name=r["name"], kind=r["kind"], credit_code=r["credit_code"] or None,
                    founded_on=r["founded_on"])
        for identity, entity in zip(new, CollectiveEntity.objects_unscoped.bulk_create(list(new.values())),
                                    strict=True):
            made[identity] = entity.pk
        self.created += len(new)
        existing = {e.pk: e for e in CollectiveEntity.objects_unscoped.filter(
            pk__in={r["entity"] for r in rows if r["entity"]})}
        changed: dict[int, CollectiveEntity] = {}
        for r in rows:
            known = existing.get(r["entity"]) if r["entity"] else None
            if known is None:
                r["entity"] = made[r["identity"]]
                continue
            entity = known
            new_values = {"village_id": r["village"], "name": r["name"], "kind": r["kind"],
                          "credit_code": r["credit_code"] or entity.credit_code,
                          "founded_on": r["founded_on"] or entity.founded_on}
            if any(getattr(entity, k) != v for k, v in new_values.items()):
                for k, v in new_values.items():
                    setattr(entity, k, v)
                entity.version += 1
                changed[entity.pk] = entity
        CollectiveEntity.objects_unscoped.bulk_update(
            list(changed.values()), ["village_id", "name", "kind", "credit_code", "founded_on", "version"])
        self.updated += len(changed)
        incomes = {(i.entity_id, i.year): i for i in EntityIncome.objects_unscoped.filter(
            entity_id__in={r["entity"] for r in rows}, year__in={r["year"] for r in rows})}
        add, change = [], []
        for r in rows:
            operating, collective = r["operating"] or 0, r["collective"] or 0
            income = incomes.get((r["entity"], r["year"]))
            if income is None:
                add.append(EntityIncome(entity_id=r["entity"], year=r["year"], operating_income=operating,
                                        collective_income=collective))
            elif (income.operating_income, income.collective_income) != (operating, collective):
                income.operating_income, income.collective_income = operating, collective
                change.append(income)
        EntityIncome.objects_unscoped.bulk_create(add)
        EntityIncome.objects_unscoped.bulk_update(change, ["operating_income", "collective_income"])
        self.incomes += len(add) + len(change)
        return []

    def summary(self) -> str:
        return f"（新增实体 {self.created}，更新实体 {self.updated}，登记收入 {self.incomes}）"


def _export(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    """Each entity in scope with each year's income (the asked year only, when one is given); an entity
    with no income row for it is exported with blank incomes, so that it round-trips."""
    kinds = dict(EntityKind.choices)
    if ctx.year is not None:
        rows = entities_for(ctx.actor, year=ctx.year, region=ctx.region_code, q=ctx.filters.get("q", ""),
                            kind=ctx.filters.get("kind", ""))
        for e in rows.iterator(chunk_size=5000):
            yield (e.village_id, e.name, kinds[e.kind], e.credit_code or "", e.founded_on or "", ctx.year,
                   _blank(e.year_operating), _blank(e.year_collective))  # type: ignore[attr-defined]
        return
    incomes = narrowed(scoped(EntityIncome, ctx.actor), ctx.region_code).select_related("entity").order_by(
        "entity__village_id", "entity__name", "year")
    for i in incomes.iterator(chunk_size=5000):
        e = i.entity
        yield (e.village_id, e.name, kinds[e.kind], e.credit_code or "", e.founded_on or "", i.year,
               i.operating_income, i.collective_income)


def _blank(value: Any) -> Any:
    return "" if value is None else value


ENTITIES = register(Template(
    kind="entities", title="村集体经济实体", object_type="collective_entity",
    columns=(
        Column("区划代码", "village", note="村（社区）的12位区划代码", width=16),
        Column("名称", "name", bounded_text(NAME_MAX), width=28),
        Column("类型", "kind", _kind, choices=tuple(KIND_BY_LABEL)),
        Column("统一社会信用代码", "credit_code", _credit_code, required=False, width=22, note="18位，按GB 32100校验"),
        Column("成立日期", "founded_on", _date, required=False),
        Column("年度", "year", year),
        Column("经营收入", "operating", number(OPERATING_RANGE), required=False, note="元，空为0"),
        Column("集体收入", "collective", number(COLLECTIVE_RANGE), required=False, note="元，空为0"),
    ),
    sink=EntitySink, export_rows=_export, import_perm="edit_organization", filters=(("q", "关键词"), ("kind", "类型")),
))


def _export_shells(ctx: ExportContext) -> Iterator[Sequence[Any]]:
    from wuzaicun.responsibility.selectors import working_year

    shown = ctx.year or working_year()
    rows = shell_villages(ctx.actor, year=shown, region=ctx.region_code, q=ctx.filters.get("q", ""))
    for v in rows.iterator(chunk_size=5000):
        reason = shell_reason(entities=1 if v.has_entity else 0, collective_income=v.collective)  # type: ignore[attr-defined]
        yield (shown, v.code, v.name, v.parent.name if v.parent else "", reason or "")


register(Template(
    kind="shell_villages", title="空壳村", object_type="collective_entity",
    columns=(Column("年度", "year"), Column("区划代码", "village", width=16), Column("村", "name", width=20),
             Column("乡镇", "township", width=20), Column("原因", "reason", width=30)),
    sink=ExportOnlySink, export_rows=_export_shells, needs_year=True, import_perm="edit_organization",
    importable=False, filters=(("q", "关键词"),),
))
