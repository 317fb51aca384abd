"""Coverage per target group within the user's scope (both sides of the county boundary), the untrained, and the
figures per level and year."""

from __future__ import annotations

import datetime as dt

from wuzaicun.cadres.models import Attendance, Dispatch
from wuzaicun.cadres.selectors.training import group_coverage, group_members, training_figures, untrained
from wuzaicun.regions.models import VillageYear

from .test_training_helpers import A1, YEAR, build_training, session


def _table(user, year=YEAR, region=""):
    return {c.group: (c.members, c.trained) for c in group_coverage(user, year=year, region=region)}


def test_each_county_sees_its_own_groups_and_a_city_session_counts(world, django_assert_num_queries) -> None:
    build_training(world)
    with django_assert_num_queries(4):  # one aggregate a group
        mine = _table(world.users["county_a"])
    assert mine == {"county_leaders": (1, 1), "township_heads": (1, 0), "dispatched": (1, 0), "village_cadres": (1, 0)}
    assert _table(world.users["county_b"]) == {"county_leaders": (1, 0), "township_heads": (1, 0),
                                              "dispatched": (1, 0), "village_cadres": (1, 1)}
    assert _table(world.users["city"]) == {"county_leaders": (2, 1), "township_heads": (2, 0),
                                          "dispatched": (2, 0), "village_cadres": (2, 1)}
    assert _table(world.users["city"], region="520303") == _table(world.users["county_b"])
    share = {c.group: c.share for c in group_coverage(world.users["city"], year=YEAR)}
    assert str(share["county_leaders"]) == "50.00" and str(share["township_heads"]) == "0.00"


def test_the_untrained_are_listed_per_group_in_scope(world) -> None:
    t = build_training(world)
    names = lambda user, group: [p.name for p in untrained(user, year=YEAR, group=group)]  # noqa: E731
    assert names(world.users["county_a"], "township_heads") == ["乡书记a"]
    assert names(world.users["county_a"], "county_leaders") == []
    assert names(world.users["city"], "village_cadres") == ["村干部a"]
    assert names(world.users["county_b"], "village_cadres") == []
    assert names(world.users["county_a"], "unknown") == []
    Attendance.objects_unscoped.create(session=t.sessions["a"], person=t.people["head_a"])
    assert names(world.users["county_a"], "township_heads") == []


def test_a_township_head_counts_while_a_poor_village_has_not_exited(world) -> None:
    build_training(world)
    user = world.users["county_a"]
    assert [p.name for p in group_members(user, year=YEAR, group="township_heads")] == ["乡书记a"]
    VillageYear.objects_unscoped.filter(village_id=A1, year=YEAR).update(exit_year=YEAR)
    assert not group_members(user, year=YEAR, group="township_heads").exists()
    VillageYear.objects_unscoped.filter(village_id=A1, year=YEAR).update(exit_year=YEAR + 1)
    assert group_members(user, year=YEAR, group="township_heads").exists()


def test_a_dispatch_counts_in_the_years_it_is_active(world) -> None:
    t = build_training(world)
    user = world.users["county_a"]
    assert group_members(user, year=YEAR + 1, group="dispatched").count() == 1  # open end
    Dispatch.objects_unscoped.filter(person=t.people["dispatched_a"]).update(end=dt.date(YEAR, 1, 1))
    assert group_members(user, year=YEAR, group="dispatched").count() == 1  # one day of the year is enough
    assert group_members(user, year=YEAR + 1, group="dispatched").count() == 0
    assert group_members(user, year=YEAR - 2, group="dispatched").count() == 0


def test_figures_per_level_and_year(world, django_assert_num_queries) -> None:
    t = build_training(world)
    session(world, "520302000000", "红花岗区2015年培训班", level="county", start=dt.date(2015, 4, 1))
    with django_assert_num_queries(2):
        city = training_figures(world.users["city"])
    assert [(f.year, f.city.sessions, f.city.person_times, f.county.sessions, f.county.person_times) for f in city] == [
        (2016, 1, 1, 2, 1), (2015, 0, 0, 1, 0)]
    mine = training_figures(world.users["county_a"])
    assert [(f.year, f.sessions, f.person_times) for f in mine] == [(2016, 1, 0), (2015, 1, 0)]
    assert training_figures(world.users["city"], years=1)[0].year == 2016
    assert t.sessions["city"].pk
