"""Indicators of 整合项目, for villages and townships (docs/resources-projects.md P7, P8):

- `project_completion` (项目完成率): the share of the subject's projects of the year that reached 验收 or 完成 by
  the end of the year (accepted on or before 31 December). A village counts the projects it implements, a
  township every project under it (its villages' and its own, not yet 落实到村). No project: 100.
- `project_funds_poor` (资金投向贫困村): a township scores the share of the year's funds of projects under it that
  went to poor villages (the village's 村情 flag of the year; a project not yet 落实到村 counts in the whole, not
  in the part); no funds: 100. A village scores 100 when it is not a poor village that year (nothing of it to
  fail) or when it is and implements funded projects of the year; a poor village that got no project money
  scores 0 (the money did not reach it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from wuzaicun.core.indicators import IndicatorProvider, register_indicator, share
from wuzaicun.regions.codes import PREFIX_LENGTHS
from wuzaicun.regions.models import Level, VillageYear

from ..models.projects import Project, ProjectFunding
from ..rules.projects import DONE, money_share
from ..selectors.projects import poor_village


def project_completion(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    width = PREFIX_LENGTHS[level]
    done = Q(stage__in=DONE, accepted_on__lte=dt.date(year, 12, 31))
    rows = (Project.objects_unscoped.filter(year=year).annotate(p=Substr("region_id", 1, width)).values("p")
            .annotate(total=Count("id"), done=Count("id", filter=done)).values_list("p", "done", "total"))
    found = {p: (d, t) for p, d, t in rows}
    return {code: share(*found.get(code[:width], (0, 0))) for code in codes}


def project_funds_poor(year: int, codes: Sequence[str], level: int) -> dict[str, Decimal]:
    width = PREFIX_LENGTHS[level]
    rows = (ProjectFunding.objects_unscoped.filter(project__year=year)
            .annotate(p=Substr("project__region_id", 1, width)).values("p")
            .annotate(total=Sum("amount"), poor=Sum("amount", filter=Q(poor_village(VillageYear.objects_unscoped.all(), "project__"))))
            .values_list("p", "poor", "total"))
    found = {p: (poor or Decimal(0), total or Decimal(0)) for p, poor, total in rows}
    if level == Level.VILLAGE:
        poor_villages = set(VillageYear.objects_unscoped.filter(year=year, is_poor=True)
                            .values_list("village_id", flat=True))
        return {code: Decimal(0) if code in poor_villages and not found.get(code, (0, 0))[1] else Decimal(100)
                for code in codes}
    scores: dict[str, Decimal] = {}
    for code in codes:
        part = money_share(*found[code[:width]]) if code[:width] in found else None
        scores[code] = Decimal(100) if part is None else part
    return scores


register_indicator(IndicatorProvider(
    "project_completion", "项目完成率", "resources", project_completion,
    "当年立项的整合项目中年底前通过验收（验收或完成）的比例；村计本村实施的项目，乡镇计辖区全部项目；无项目计100分"))
register_indicator(IndicatorProvider(
    "project_funds_poor", "资金投向贫困村", "resources", project_funds_poor,
    "乡镇：当年整合项目资金中投向贫困村的比例（无资金计100分）；村：非贫困村计100分，贫困村当年有项目资金计100分、没有计0分"))
