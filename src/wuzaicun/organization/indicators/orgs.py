"""Indicators of the orgs area (registered on import): how well villages' 村务监督委员会 do their duties."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Substr

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.indicators import IndicatorProvider, register_indicator, share
from wuzaicun.core.operator import OPERATOR
from wuzaicun.regions.codes import PREFIX_LENGTHS
from wuzaicun.regions.models import Level, Region

from ..models.orgs import CommitteeDuty
from ..rules.orgs import COMMITTEE_DUTIES


def committee_duties_done(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    """Standard duties done in the year over the duties of every village of the subject (a village without a
    committee did none): two grouped queries for all subjects. The caller has scoped the subject codes."""
    width = PREFIX_LENGTHS[level]
    villages = dict(
        scoped(Region, OPERATOR).filter(level=Level.VILLAGE).annotate(p=Substr("code", 1, width)).values("p")
        .annotate(n=Count("code")).values_list("p", "n"))
    done = dict(
        scoped(CommitteeDuty, OPERATOR).filter(year=year, done=True, duty__in=COMMITTEE_DUTIES)
        .annotate(p=Substr("committee__village_id", 1, width)).values("p").annotate(n=Count("id"))
        .values_list("p", "n"))
    return {code: share(done.get(code[:width], 0), villages.get(code[:width], 0) * len(COMMITTEE_DUTIES))
            for code in codes}


register_indicator(IndicatorProvider(
    "committee_duties", "村务监督委员会履职率", "organization", committee_duties_done,
    description="当年已履行的村务监督委员会标准职责项数 ÷（村数 × 标准职责项数）；未建立监委会的村按未履行计"))
