"""Reads of 三变: entities with what was put into them, holders and their shares, dividends and their parts, and
the totals of land, properties and money put in (every read scoped)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.organization.models import CollectiveEntity

from ..models.shares import Contribution, ContributionKind, Dividend, DividendPart

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))


def _held_by(year: int) -> Q:
    return Q(contributions__contributed_on__year__lte=year)


def share_entities(user: Any, *, year: int, region: str | None = None, q: str = "",
                   joined: str = "") -> QuerySet[CollectiveEntity]:
    """Entities in scope with the year-end 三变 figures: land (亩), properties, money, shares, holders; `joined`
    "yes" keeps those with contributions, "no" those without."""
    rows = narrowed(scoped(CollectiveEntity, user), region)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(village__name__icontains=q))
    has = Exists(scoped(Contribution, user).filter(entity=OuterRef("pk"), contributed_on__year__lte=year))
    if joined == "yes":
        rows = rows.filter(has)
    elif joined == "no":
        rows = rows.filter(~has)
    held = _held_by(year)
    return (rows.annotate(
        land=Coalesce(Sum("contributions__land_mu", filter=held), ZERO),
        properties=Count("contributions", filter=held & Q(contributions__kind=ContributionKind.PROPERTY)),
        money=Coalesce(Sum("contributions__amount", filter=held & Q(contributions__kind=ContributionKind.MONEY)), ZERO),
        shares=Coalesce(Sum("contributions__shares", filter=held), ZERO),
        holders=Count("contributions__household", filter=held, distinct=True),
    ).select_related("village", "village__parent").order_by("village_id", "name"))


def totals(user: Any, *, year: int, region: str | None = None, poor: bool = True) -> dict[str, Any]:
    """The scope's year-end totals: land transferred (亩), properties and money put in, entities, shareholder
    households and (with `poor`) how many of them are still poor (未脱贫). Without `poor` the query reads no
    household: the overview, which shows no 未脱贫 count, skips the join (docs/insight.md, I46)."""
    rows = narrowed(scoped(Contribution, user), region).filter(contributed_on__year__lte=year)
    still_poor = {"poor_holders": Count("household", distinct=True, filter=Q(household__status="未脱贫"))} if poor else {}
    return rows.aggregate(
        land=Coalesce(Sum("land_mu"), ZERO),
        properties=Count("id", filter=Q(kind=ContributionKind.PROPERTY)),
        money=Coalesce(Sum("amount", filter=Q(kind=ContributionKind.MONEY)), ZERO),
        entities=Count("entity", distinct=True),
        holders=Count("household", distinct=True),
        **still_poor,
    )


def get_share_entity_for_user(user: Any, pk: int) -> CollectiveEntity:
    return get_for_user(scoped(CollectiveEntity, user).select_related("village", "village__parent"), user, pk=pk)


def holders_of(user: Any, entity: CollectiveEntity, *, year: int) -> QuerySet[Contribution, dict[str, Any]]:
    """One row a holder (household, or the village collective with no household) with its year-end shares."""
    return (scoped(Contribution, user).filter(entity=entity, contributed_on__year__lte=year)
            .values("household_id", "household__head_name", "household__status", "household__resident_id_masked")
            .annotate(shares=Sum("shares"), land=Sum("land_mu"), money=Sum("amount"), count=Count("id"))
            .order_by("household_id"))


def contributions_of(user: Any, entity: CollectiveEntity) -> QuerySet[Contribution]:
    return (scoped(Contribution, user).filter(entity=entity).select_related("household")
            .order_by("-contributed_on", "-id"))


def dividends_of(user: Any, entity: CollectiveEntity) -> QuerySet[Dividend]:
    return scoped(Dividend, user).filter(entity=entity).select_related("created_by").order_by("-year")


def get_dividend_for_user(user: Any, pk: int) -> Dividend:
    return get_for_user(scoped(Dividend, user).select_related("entity", "entity__village", "created_by"), user, pk=pk)


def parts_of(user: Any, dividend: Dividend) -> QuerySet[DividendPart]:
    return (scoped(DividendPart, user).filter(dividend=dividend).select_related("household")
            .order_by("household_id"))


def find_share_entity(user: Any, text: str) -> CollectiveEntity:
    """The entity a script names by its credit code, its name, or 村名/实体名 when names repeat (never by id)."""
    from wuzaicun.core.errors import DomainError, NotFound

    village, _, name = text.strip().rpartition("/")
    rows = scoped(CollectiveEntity, user).select_related("village", "village__parent")
    found = list(rows.filter(Q(credit_code=text.strip().upper()) | Q(name=name, **(
        {"village__name": village} if village else {})))[:10])
    if not found:
        raise NotFound(f"没有找到实体“{text}”（可用统一社会信用代码、实体名称或“村名/实体名称”）")
    if len(found) > 1:
        places = "、".join(f"{e.village.name}/{e.name}" for e in found)
        raise DomainError(f"名为“{name}”的实体不止一个：{places}；请写作“村名/实体名称”或用统一社会信用代码")
    return found[0]
