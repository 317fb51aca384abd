"""Test support for the lists: an open year and a fully covered poor village in the two-county world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wuzaicun.core.operator import OPERATOR
from wuzaicun.registry.models import LeadershipTeam
from wuzaicun.responsibility.services import create_entry, open_year
from wuzaicun.testing import factories

YEAR = 2016
VILLAGE = "520302001001"  # 甲村, poor
OTHER_POOR_VILLAGE = "520303100201"  # 丙村, poor, in county B


def open_test_year() -> int:
    open_year(actor=OPERATOR, year=YEAR, due=dt.date(2100, 3, 1))  # entries made today are on time
    return YEAR


def cover_village(world: Any, code: str, *, helpers: int = 3) -> dict[str, Any]:
    """Every list a poor village needs, with `helpers` party members helping each of its households."""
    region = world.regions[code]
    team = LeadershipTeam.objects_unscoped.create(name=f"{region.name}帮扶班子", region=region)
    leader = factories.person(region, name=f"{region.name}联村领导", rank="县处级")
    secretary = factories.person(region, name=f"{region.name}第一书记", rank="乡科级", post="第一书记")
    households = [h.pk for h in world.households[code]]
    made = {
        "team": create_entry(actor=OPERATOR, year=YEAR, kind="team", village_code=code, team_id=team.pk,
                             duties=["学习贯彻", "督促检查"]),
        "leader": create_entry(actor=OPERATOR, year=YEAR, kind="leader", village_code=code, person_id=leader.pk,
                               household_ids=households[:2], duties=["牵头抓总"]),
        "stationed": create_entry(actor=OPERATOR, year=YEAR, kind="stationed", village_code=code,
                                  person_id=secretary.pk, duties=["宣传政策"], goal="发展茶叶产业",
                                  goal_kind="industry", stationed_post="第一书记"),
    }
    for i in range(helpers):
        member = factories.person(region, name=f"{region.name}助村党员{i}", rank="农村党员")
        made[f"helper{i}"] = create_entry(actor=OPERATOR, year=YEAR, kind="helper", village_code=code,
                                          person_id=member.pk, household_ids=households, duties=["走访", "结对"])
    return made
