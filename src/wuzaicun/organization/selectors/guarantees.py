"""Reads of 组织保障: the year's standards, village-years in scope, and who falls short of which standard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.regions.models import Level, Region
from wuzaicun.regions.selectors import regions_for

from ..models.guarantees import Guarantee, GuaranteeStandard
from ..rules.guarantees import STANDARDS, STANDARDS_BY_CODE, Standard, default_values

MISSING = "missing"  # the compliance report's pseudo-standard: villages with no record for the year


def standard_values(year: int) -> dict[str, Decimal]:
    """{code: value} for the year: the configured values, else the seed's defaults."""
    values = default_values()
    values.update(GuaranteeStandard.objects_unscoped.filter(year=year, code__in=list(values))
                  .values_list("code", "value"))
    return values


def standard_rows(year: int) -> list[dict[str, Any]]:
    """The year's standards as the settings page, the API and `wuzaicun guarantees standards --json` give them."""
    configured = dict(GuaranteeStandard.objects_unscoped.filter(year=year).values_list("code", "value"))
    return [{"code": s.code, "title": s.title, "unit": s.unit, "comparison": s.comparison,
             "value": configured.get(s.code, s.default), "default": s.default, "configured": s.code in configured}
            for s in STANDARDS]


def guarantees_for(user: Any, *, year: int, region: str | None = None, q: str = "") -> QuerySet[Guarantee]:
    rows = narrowed(scoped(Guarantee, user), region).filter(year=year)
    if q:
        rows = rows.filter(Q(village__name__icontains=q) | Q(village__code__startswith=q))
    return rows.select_related("village", "village__parent").order_by("village_id")


def get_guarantee_for_user(user: Any, pk: int) -> Guarantee:
    return get_for_user(scoped(Guarantee, user).select_related("village"), user, pk=pk)


def falls_short(standard: Standard, threshold: Decimal) -> Q:
    """The rows below one standard, as a database condition (the same comparison as rules.meets)."""
    below = Q(**{f"{standard.code}__lte" if standard.strict else f"{standard.code}__lt": threshold})
    if standard.blank_is_shortfall:
        below |= Q(**{f"{standard.code}__isnull": True})
    return below


def below_any(thresholds: dict[str, Decimal]) -> Q:
    condition = Q(pk__in=[])
    for standard in STANDARDS:
        condition |= falls_short(standard, thresholds[standard.code])
    return condition


def villages_in(user: Any, region: str | None) -> QuerySet[Region]:
    return narrowed(regions_for(user), region).filter(level=Level.VILLAGE)


def villages_without_record(user: Any, *, year: int, region: str | None = None) -> QuerySet[Region]:
    recorded = scoped(Guarantee, user).filter(year=year).values("village_id")
    return villages_in(user, region).exclude(code__in=recorded).select_related("parent").order_by("code")


def shortfall_rows(user: Any, *, year: int, region: str | None = None, standard: str = "",
                   q: str = "") -> QuerySet[Guarantee]:
    """Village-years below `standard` (a code), or below any standard when it is blank."""
    thresholds = standard_values(year)
    rows = guarantees_for(user, year=year, region=region, q=q)
    spec = STANDARDS_BY_CODE.get(standard)
    return rows.filter(falls_short(spec, thresholds[spec.code]) if spec else below_any(thresholds))


def compliance_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """How many villages fall short of each standard, in two aggregate queries: {"villages", "recorded",
    "below_any", MISSING, "by_standard": [{"code", "title", "rule", "count"}]}."""
    thresholds = standard_values(year)
    aggregates = {s.code: Count("id", filter=falls_short(s, thresholds[s.code])) for s in STANDARDS}
    counts = guarantees_for(user, year=year, region=region).order_by().aggregate(
        recorded=Count("id"), below_any=Count("id", filter=below_any(thresholds)), **aggregates)
    villages = villages_in(user, region).count()
    return {
        "villages": villages, "recorded": counts["recorded"], "below_any": counts["below_any"],
        MISSING: villages - counts["recorded"],
        "by_standard": [{"code": s.code, "title": s.title, "rule": s.describe(thresholds[s.code]),
                         "count": counts[s.code]} for s in STANDARDS],
    }


def values_of(row: Guarantee) -> dict[str, Decimal | None]:
    return {s.code: getattr(row, s.code) for s in STANDARDS}


def met_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """How many villages' records meet each of the year's standards (filled in and not short), one query."""
    thresholds = standard_values(year)
    aggregates = {s.code: Count("id", filter=Q(**{f"{s.code}__isnull": False}) & ~falls_short(s, thresholds[s.code]))
                  for s in STANDARDS}
    found = guarantees_for(user, year=year, region=region).order_by().aggregate(**aggregates)
    return {code: int(value or 0) for code, value in found.items()}
