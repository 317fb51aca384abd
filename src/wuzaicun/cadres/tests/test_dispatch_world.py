"""What the 选派 tests share: sending units on both sides of the scope (and one above it), and a dispatch maker.

The world's villages: 甲村 (A1, poor) and 乙村 (A2) in 红花岗区, 丙村 (B1, poor) and 丁村 (B2) in 汇川区."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wuzaicun.cadres.models import Dispatch, WorkingGroup
from wuzaicun.registry.models import Unit

A1, A2, B1, B2 = "520302001001", "520302001002", "520303100201", "520303100202"
TOWNSHIP_A, TOWNSHIP_B = "520302001000", "520303100000"
D = dt.date
START = D(2015, 3, 1)


def units(world: Any) -> dict[str, Unit]:
    return {
        "a": Unit.objects_unscoped.create(name="红花岗区农业农村局", region=world.regions["520302000000"]),
        "b": Unit.objects_unscoped.create(name="汇川区财政局", region=world.regions["520303000000"]),
        "city": Unit.objects_unscoped.create(name="遵义市人民政府办公室", region=world.regions["520300000000"]),
    }


def person(world: Any, village: str, i: int = 0) -> Any:
    return world.people[village][i]


def dispatch(world: Any, unit: Unit, village: str, *, i: int = 0, kind: str = "first_secretary",
             start: dt.date = START, end: dt.date | None = None) -> Dispatch:
    return Dispatch.objects_unscoped.create(person=person(world, village, i), kind=kind, unit=unit,
                                            village=world.regions[village], start=start, end=end)


def group(world: Any, unit: Unit, village: str, *, start: dt.date = START,
          end: dt.date | None = None) -> WorkingGroup:
    return WorkingGroup.objects_unscoped.create(village=world.regions[village], unit=unit, start=start, end=end)
