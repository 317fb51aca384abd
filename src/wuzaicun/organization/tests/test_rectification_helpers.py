"""Shared set-up of the 倒排整顿 tests: scores that decide the ranking, a confirmed round, a complete case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from wuzaicun.organization.models.rectification import RectificationCase
from wuzaicun.organization.services.rectification import (
    add_progress,
    confirm_round,
    propose_round,
    set_democratic_score,
    update_case,
)
from wuzaicun.testing import factories
from wuzaicun.testing.world import World

YEAR = 2016
A1, A2, B1, B2 = "520302001001", "520302001002", "520303100201", "520303100202"
COUNTY_A, COUNTY_B, CITY = "520302000000", "520303000000", "520300000000"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def scores(world: World, values: dict[str, str]) -> None:
    for code, value in values.items():
        set_democratic_score(actor=world.users["sysadmin"], year=YEAR, village_code=code, score=Decimal(value))


def confirmed_case(world: World, *, region: str = COUNTY_A, village: str = A1) -> RectificationCase:
    """A round for `region` whose weakest village (by 民主评议) is `village`, confirmed: its case."""
    codes = [c for c in (A1, A2, B1, B2) if c.startswith(region[:6])]
    scores(world, {c: ("40" if c == village else "90") for c in codes})
    round_ = propose_round(actor=world.users["city"], year=YEAR, region_code=region, count=1)
    confirm_round(actor=world.users["city"], round_id=round_.pk)
    return RectificationCase.objects_unscoped.get(village_id=village, year=YEAR)


def county_leader(world: World, county: str = COUNTY_A) -> Any:
    return factories.person(world.region(county), name="县领导", rank="县处级")


def complete_case(world: World, case: RectificationCase, *, actor: Any = None) -> RectificationCase:
    """Problems, plan, measures, a county leader, a deadline and a progress update with a photo."""
    actor = actor or world.users["county_a"]
    update_case(actor=actor, case_id=case.pk, problems="班子不团结", plan="年内转化", measures="调整班子",
                leader_id=county_leader(world).pk, deadline=dt.date(YEAR, 12, 31))
    add_progress(actor=actor, case_id=case.pk, reported_on=dt.date(YEAR, 6, 1), narrative="召开组织生活会",
                 files=[([PNG], "现场.png")])
    return RectificationCase.objects_unscoped.get(pk=case.pk)
