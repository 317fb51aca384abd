"""Shared set-up of the 六定一化考核 tests: units, dispatches, cadres with a list entry, entered scores, and
stand-ins for the computed person indicators so that a test sets every score it needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest

from wuzaicun.cadres.models import CadreScore, Dispatch
from wuzaicun.cadres.rules.grading import default_set
from wuzaicun.cadres.services.grading import ensure_indicator_set
from wuzaicun.core import indicators as registry
from wuzaicun.core.indicators import PersonIndicatorProvider, Source
from wuzaicun.registry.models import Person, Unit
from wuzaicun.responsibility.models import Assignment
from wuzaicun.testing import factories
from wuzaicun.testing.world import World

YEAR = 2016
A1, A2, B1 = "520302001001", "520302001002", "520303100201"
TOWNSHIP_A, COUNTY_A, COUNTY_B, CITY = "520302001000", "520302000000", "520303000000", "520300000000"
FS, RES, VS = "first_secretary", "resident", "village_secretary"
COMPUTED = sorted({s.provider for role in (FS, VS) for s in default_set(role) if s.provider})


def unit(world: World, code: str = COUNTY_A, name: str = "县委组织部") -> Unit:
    return Unit.objects_unscoped.get_or_create(region=world.region(code), name=name)[0]


def cadre(world: World, village: str, name: str, *, kind: str = FS, start: dt.date = dt.date(2015, 3, 1),
          end: dt.date | None = None, listed: bool = True, resident_id: str | None = None) -> Person:
    """A person dispatched to `village` (registered in the village's county), in the 驻村 list of the year."""
    person = factories.person(world.region(village[:6] + "000000"), name=name, rank="乡科级", resident_id=resident_id)
    Dispatch.objects_unscoped.create(person=person, kind=kind, unit=unit(world, village[:6] + "000000"),
                                     village=world.region(village), start=start, end=end)
    if listed:
        Assignment.objects_unscoped.create(year=YEAR, kind="stationed", person=person, village=world.region(village),
                                           stationed_post="第一书记" if kind == FS else "驻村干部")
    return person


def village_secretary(world: World, village: str, name: str) -> Person:
    return factories.person(world.region(village), name=name, rank="村干部", post="村党支部书记")


def enter(person: Person, role: str, code: str, score: str | int) -> CadreScore:
    indicator = next(r for r in ensure_indicator_set(year=YEAR, role=role) if r.code == code)
    return CadreScore.objects_unscoped.update_or_create(indicator=indicator, person=person,
                                                        defaults={"score": Decimal(score)})[0]


class StandIns:
    """Computed indicators answering what the test set: {provider: {person id: score or None}}; unset → 100."""

    def __init__(self) -> None:
        self.values: dict[str, dict[int, Decimal | None]] = {code: {} for code in COMPUTED}
        self.calls: dict[str, int] = dict.fromkeys(COMPUTED, 0)

    def set(self, provider: str, person: Person, value: str | int | None) -> None:
        self.values[provider][person.pk] = None if value is None else Decimal(value)

    def all(self, person: Person, value: str | int | None) -> None:
        for code in COMPUTED:
            self.set(code, person, value)

    def provider(self, code: str) -> PersonIndicatorProvider:
        def compute(year: int, ids: Any) -> dict[int, Decimal | None]:
            self.calls[code] += 1
            return {pk: self.values[code].get(pk, Decimal(100)) for pk in ids}

        def sources(user: object, year: int, pk: int) -> list[Source]:
            return [Source("测试记录", f"{code}的来源", "计 100 分", "/cadres/grades/")]

        return PersonIndicatorProvider(code, code, "test", compute, sources)


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIns]:
    found = StandIns()
    for code in COMPUTED:
        monkeypatch.setitem(registry._PERSON_PROVIDERS, code, found.provider(code))
    yield found


@pytest.fixture
def training_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only `training_attendance` (the training area registers the real one): everyone attended."""
    def compute(year: int, ids: Any) -> dict[int, Decimal | None]:
        return {pk: Decimal(100) for pk in ids}

    monkeypatch.setitem(registry._PERSON_PROVIDERS, "training_attendance", PersonIndicatorProvider(
        "training_attendance", "参加培训", "test", compute, lambda y, p: []))


def entered_all(people: Mapping[Person, str | int], role: str = FS) -> None:
    for person, score in people.items():
        enter(person, role, "democratic", score)
        enter(person, role, "satisfaction", score)
