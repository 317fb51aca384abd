"""Shared set-up of the 干部培训 tests: one member of each target group on both sides of the county boundary,
a city session and a session in each county."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wuzaicun.cadres.models import Attendance, Dispatch, TrainingSession
from wuzaicun.registry.models import Person, Unit
from wuzaicun.testing import factories
from wuzaicun.testing.world import World

YEAR = 2016
A1, A2, B1, B2 = "520302001001", "520302001002", "520303100201", "520303100202"
CITY, COUNTY_A, COUNTY_B = "520300000000", "520302000000", "520303000000"
TOWN_A, TOWN_B = "520302001000", "520303100000"
ALL_GROUPS = ["county_leaders", "township_heads", "dispatched", "village_cadres"]


@dataclass
class Training:
    people: dict[str, Person] = field(default_factory=dict)
    sessions: dict[str, TrainingSession] = field(default_factory=dict)


def session(world: World, region: str, name: str, *, level: str, start: dt.date = dt.date(YEAR, 3, 1),
            days: int = 2) -> TrainingSession:
    return TrainingSession.objects_unscoped.create(
        name=name, level=level, region=world.regions[region], organiser="县委组织部", topic="脱贫攻坚",
        start=start, end=start + dt.timedelta(days=days), year=start.year, target_groups=ALL_GROUPS)


def build_training(world: World) -> Training:
    """Per county (a, b): a 县处级 leader, the township's 党委书记 (甲村 and 丙村 are poor), a 第一书记 dispatched
    for the year, a 村干部. The city's session has county A's leader; county B's session has its 村干部."""
    t = Training()
    for side, county, town, village, other in (("a", COUNTY_A, TOWN_A, A1, A2), ("b", COUNTY_B, TOWN_B, B1, B2)):
        r = world.regions
        t.people[f"leader_{side}"] = factories.person(r[county], name=f"县领导{side}", rank="县处级", post="县委常委")
        head_post = "党工委书记" if side == "a" else "党委书记"
        t.people[f"head_{side}"] = factories.person(r[town], name=f"乡书记{side}", rank="乡科级", post=head_post)
        t.people[f"deputy_{side}"] = factories.person(r[town], name=f"副乡长{side}", rank="乡科级", post="副镇长")
        sent = factories.person(r[village], name=f"第一书记{side}", rank="一般干部", post="第一书记")
        t.people[f"dispatched_{side}"] = sent
        unit = Unit.objects_unscoped.create(name=f"{county}派出单位", region=r[county])
        Dispatch.objects_unscoped.create(person=sent, kind="first_secretary", unit=unit, village=r[village],
                                         start=dt.date(YEAR - 1, 6, 1), end=None)
        t.people[f"cadre_{side}"] = factories.person(r[other], name=f"村干部{side}", rank="村干部", post="村委会主任")
    t.sessions["city"] = session(world, CITY, "遵义市2016年脱贫攻坚专题培训班", level="city")
    t.sessions["a"] = session(world, COUNTY_A, "红花岗区2016年村干部培训班", level="county")
    t.sessions["b"] = session(world, COUNTY_B, "汇川区2016年村干部培训班", level="county")
    Attendance.objects_unscoped.create(session=t.sessions["city"], person=t.people["leader_a"])
    Attendance.objects_unscoped.create(session=t.sessions["b"], person=t.people["cadre_b"])
    return t
