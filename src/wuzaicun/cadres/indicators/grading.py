"""The `village_rectification` person indicator: the rectification of the organisation of the village a cadre serves
(第一书记、驻村干部: the village of the year's latest dispatch; 村党组织书记: the village of the person), read through
organization's region indicator `rectification_status` in the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.indicators import (
    PersonIndicatorProvider,
    Source,
    indicator,
    keep_asked,
    person_lookup,
    register_person_indicator,
)
from wuzaicun.regions.models import Level
from wuzaicun.registry.models import Person

from ..models.dispatch import Dispatch
from ..models.grading import CadreScore


def cadre_villages(year: int, person_ids: Sequence[int]) -> dict[int, str]:
    """{person: village}: the village of the person's latest dispatch active during the year, else the person's own
    village when registered in one (village cadres). Two queries whatever the number of people."""
    asked = set(person_ids)
    found = {pk: region for pk, region in Person.objects_unscoped.filter(
        region__level=Level.VILLAGE, **person_lookup("pk", person_ids)).values_list("pk", "region_id") if pk in asked}
    dispatches = (Dispatch.objects_unscoped.filter(start__lte=dt.date(year, 12, 31), **person_lookup("person_id", person_ids))
                  .filter(Q(end__isnull=True) | Q(end__gte=dt.date(year, 1, 1)))
                  .order_by("person_id", "start", "pk").values_list("person_id", "village_id"))
    for pk, village in dispatches:
        if pk in asked:
            found[pk] = village
    return found


def entered_scores(indicator_ids: Sequence[int], person_ids: Sequence[int]) -> dict[int, dict[int, Decimal | None]]:
    """{indicator: {person: score}} of the entered indicators for the cadres the caller found assessed in its scope
    (a cadre registered at the county who serves a township's village is graded by the township): one query."""
    asked = set(person_ids)
    found: dict[int, dict[int, Decimal | None]] = {pk: {} for pk in indicator_ids}
    rows = CadreScore.objects_unscoped.filter(indicator_id__in=list(indicator_ids), **person_lookup("person_id", person_ids))
    for indicator_id, person, score in rows.values_list("indicator_id", "person_id", "score"):
        if person in asked:
            found[indicator_id][person] = score
    return found


def village_rectification(year: int, person_ids: Sequence[int]) -> dict[int, Decimal | None]:
    provider = indicator("rectification_status")
    villages = cadre_villages(year, person_ids)
    if provider is None or not villages:
        return keep_asked(person_ids, {})
    values = provider.compute(year, sorted(set(villages.values())), Level.VILLAGE)
    cents = {v: Decimal(x).quantize(Decimal("0.01")) for v, x in values.items()}
    return keep_asked(person_ids, {pk: cents.get(v) for pk, v in villages.items()})


def village_rectification_sources(user: Any, year: int, person_id: int) -> list[Source]:
    from django.urls import reverse

    from wuzaicun.organization.models.rectification import RectificationCase
    from wuzaicun.regions.models import Region

    village = cadre_villages(year, [person_id]).get(person_id)
    if village is None:
        return []
    name = scoped(Region, user).filter(code=village).values_list("name", flat=True).first()
    if name is None:  # the cadre's village is outside the viewer's scope
        return []
    cases = list(scoped(RectificationCase, user).filter(year=year, village_id=village).order_by("pk"))
    if not cases:
        return [Source("村党组织", f"{name}：{year}年度不在软弱涣散党组织整顿名单", "计 100 分")]
    return [Source("整顿案例", f"{name}：{year}年度软弱涣散党组织整顿", case.get_status_display(),
                   reverse("organization:case", args=[case.pk])) for case in cases]


register_person_indicator(PersonIndicatorProvider(
    "village_rectification", "所在村党组织整顿", "cadres", village_rectification, village_rectification_sources,
    "干部所在村（当年最近一次选派的村，村党组织书记为本村）软弱涣散党组织整顿情况：不在整顿名单或已转化 100 分，"
    "待验收 70 分，整顿中 50 分，逾期未转化 20 分",
))
