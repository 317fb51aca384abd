"""Reads of 村级集体经济: entities in scope with a year's income, 一村一实体 coverage, 空壳村 and their trend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from wuzaicun.accounts.scope import get_for_user, may_read, narrowed, scoped
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import by_area, regions_for

from ..models.economy import CollectiveEntity, EntityIncome
from ..rules.economy import year_end

TREND_YEARS = 6  # the 空壳村 trend shows the chosen year and the five before it


def existing_in(year: int, prefix: str = "") -> Q:
    """Entities that existed in `year`: founded by its end, or with no founding date."""
    return Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": year_end(year)})


def entities_for(user: Any, *, year: int, region: str | None = None, q: str = "",
                 kind: str = "") -> QuerySet[CollectiveEntity]:
    """Entities in scope, each with `operating_income` / `collective_income` of the year (None: no row)."""
    rows = narrowed(scoped(CollectiveEntity, user), region)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(village__name__icontains=q) | Q(credit_code=q.upper()))
    return (rows.annotate(that_year=FilteredRelation("incomes", condition=Q(incomes__year=year)))
            .annotate(year_operating=F("that_year__operating_income"), year_collective=F("that_year__collective_income"))
            .select_related("village", "village__parent").order_by("village_id", "name"))


def get_entity_for_user(user: Any, pk: int) -> CollectiveEntity:
    return get_for_user(scoped(CollectiveEntity, user).select_related("village"), user, pk=pk)


def incomes_of(user: Any, entity: CollectiveEntity) -> QuerySet[EntityIncome]:
    return scoped(EntityIncome, user).filter(entity=entity).order_by("-year")


def villages_for(user: Any, *, region: str | None = None) -> QuerySet[Region]:
    return narrowed(regions_for(user), region).filter(level=Level.VILLAGE)


def village_economy(user: Any, *, year: int, region: str | None = None) -> QuerySet[Region]:
    """Villages in scope, each annotated with `has_entity` (one existing that year) and `collective` (the
    year's collective income of its entities, None when none recorded)."""
    entities = scoped(CollectiveEntity, user).filter(existing_in(year), village_id=OuterRef("code"))
    income = (scoped(EntityIncome, user).filter(existing_in(year, "entity__"), year=year,
                                                entity__village_id=OuterRef("code"))
              .order_by().values("entity__village_id").annotate(total=Sum("collective_income")).values("total"))
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
    # a user who may not read incomes gets NULL, not an empty subquery (PostgreSQL cannot compare its '' with 0)
    collective = Subquery(income, output_field=money) if may_read(EntityIncome, user) else Value(None, money)
    return villages_for(user, region=region).annotate(has_entity=Exists(entities), collective=collective)


def shell_villages(user: Any, *, year: int, region: str | None = None, q: str = "") -> QuerySet[Region]:
    """空壳村 of the year: no entity, or no collective income (the same test as rules.shell_reason)."""
    rows = village_economy(user, year=year, region=region).filter(
        Q(has_entity=False) | Q(collective__isnull=True) | Q(collective__lte=0))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return rows.select_related("parent").order_by("code")


def villages_without_entity(user: Any, *, year: int, region: str | None = None) -> QuerySet[Region]:
    return village_economy(user, year=year, region=region).filter(has_entity=False).order_by("code")  # type: ignore[misc]


def economy_summary(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """一村一实体 coverage and the 空壳村 trend: one aggregate query a year shown."""
    trend = []
    for shown in range(year - TREND_YEARS + 1, year + 1):
        counts = village_economy(user, year=shown, region=region).order_by().aggregate(
            villages=Count("code"), with_entity=Count("code", filter=Q(has_entity=True)),
            shells=Count("code", filter=Q(has_entity=False) | Q(collective__isnull=True) | Q(collective__lte=0)))
        trend.append({"year": shown, **counts})
    current = trend[-1]
    totals = narrowed(scoped(EntityIncome, user), region).filter(year=year).aggregate(
        operating=Sum("operating_income"), collective=Sum("collective_income"))
    kinds = dict(narrowed(scoped(CollectiveEntity, user), region).filter(existing_in(year)).order_by()
                 .values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {
        "year": year, "villages": current["villages"], "with_entity": current["with_entity"],
        "shells": current["shells"], "coverage": _share(current["with_entity"], current["villages"]),
        "entities": sum(kinds.values()), "by_kind": kinds,
        "operating_income": totals["operating"] or Decimal(0), "collective_income": totals["collective"] or Decimal(0),
        "trend": trend,
    }


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.01")) if whole else Decimal(0)


def economy_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """The year's figures of `economy_summary` without its trend (three queries): villages, with an entity,
    空壳村, entities by kind and the collective income."""
    counts = village_economy(user, year=year, region=region).order_by().aggregate(
        villages=Count("code"), with_entity=Count("code", filter=Q(has_entity=True)),
        shells=Count("code", filter=Q(has_entity=False) | Q(collective__isnull=True) | Q(collective__lte=0)))
    kinds = dict(narrowed(scoped(CollectiveEntity, user), region).filter(existing_in(year)).order_by()
                 .values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    income = narrowed(scoped(EntityIncome, user), region).filter(year=year).aggregate(total=Sum("collective_income"))
    return {**counts, "entities": sum(kinds.values()), "by_kind": kinds,
            "collective_income": income["total"] or Decimal(0)}


def income_by_area(user: Any, *, within: str, width: int) -> dict[tuple[str, int], dict[str, Decimal]]:
    """The collective income of the entities in scope per child area (the first `width` digits of the village
    code, under `within`) and year (one grouped query)."""
    return by_area(scoped(EntityIncome, user), within=within, width=width, collective_income=Sum("collective_income"))


def entity_villages_by_area(user: Any, *, year: int, within: str, width: int) -> dict[tuple[str, int], dict[str, int]]:
    """Villages with a collective entity existing in `year` (一村一实体, as `economy_counts`' `with_entity`) per child
    area (the first `width` digits of the village code, under `within`), in scope (one grouped query):
    {(prefix, year): {"villages_with_entity": n}}."""
    return by_area(scoped(CollectiveEntity, user).filter(existing_in(year)), within=within, width=width, year=year,
                   villages_with_entity=Count("village_id", distinct=True))
