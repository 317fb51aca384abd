"""Indicator `dividends_paid`: the share of the 三变 entities holding shares at the end of the year that paid
the year's dividend (the entities of the subject's area; an area with no shareholding entity scores 100, as
`share()` does: nothing failed)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Substr

from wuzaicun.core.indicators import IndicatorProvider, register_indicator, share
from wuzaicun.regions.codes import PREFIX_LENGTHS, common_prefix

from ..models.shares import Contribution, Dividend


def dividends_paid(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    width = PREFIX_LENGTHS[level]
    paid = Dividend.objects_unscoped.filter(entity_id=OuterRef("entity_id"), year=year)
    rows = (
        Contribution.objects_unscoped
        .filter(contributed_on__year__lte=year,
                entity__village__code__within=common_prefix(c[:width] for c in codes))
        .annotate(p=Substr("entity__village_id", 1, width))
        .values("p")
        .annotate(total=Count("entity_id", distinct=True),
                  good=Count("entity_id", distinct=True, filter=Exists(paid)))
        .values_list("p", "good", "total")
    )
    found = {p: (good, total) for p, good, total in rows}
    return {code: share(*found.get(code[:width], (0, 0))) for code in codes}


register_indicator(IndicatorProvider(
    "dividends_paid", "三变分红兑现率", "resources", dividends_paid,
    "年末已有入股的三变经营主体中，当年已按股分红的占比；无入股主体的村（乡镇）计100分",
))
