"""Every headline figure against hand-built data in both counties: a county user sees its county's figures and
not the other's, both ways; the city sees both added up; a region narrows; records outside the year don't count."""

from __future__ import annotations

from typing import Any

import pytest

from wuzaicun.core.errors import NotFound
from wuzaicun.insight.figures import UNITS, compute_stats
from wuzaicun.insight.selectors import stats_for_user
from wuzaicun.testing.world import World

from .data import YEAR, city, expected, populate


@pytest.fixture
def populated(world: World) -> World:
    populate(world, "a", 1)
    populate(world, "b", 2)
    return world


def values(user: Any, region: str | None = None) -> dict[str, Any]:
    return compute_stats(user, year=YEAR, region=region).values()


def test_a_county_user_sees_its_own_county_only(populated: World) -> None:
    assert values(populated.users["county_a"]) == expected(1)
    assert values(populated.users["county_b"]) == expected(2)


def test_the_city_sees_both_counties_added_up(populated: World) -> None:
    assert values(populated.users["city"]) == city()


def test_a_region_narrows_the_city_to_one_county(populated: World) -> None:
    assert values(populated.users["city"], "520303000000") == expected(2)
    assert values(populated.users["city"], "520302000000") == expected(1)


def test_a_region_outside_the_users_scope_is_not_found(populated: World) -> None:
    with pytest.raises(NotFound):
        stats_for_user(populated.users["county_a"], year=YEAR, region="520303000000")


def test_another_year_has_nothing_of_this_years_records(populated: World) -> None:
    figures = values(populated.users["city"])
    later = compute_stats(populated.users["city"], year=YEAR + 1).values()
    assert set(later) == set(figures)
    assert later["dispatched"] == city()["dispatched"] == 5  # still in post: no end date
    assert later["rectified_organisations"] == later["talents"] == later["spot_check_plans"] == 0


def test_sections_follow_the_seed_and_every_figure_has_a_unit_and_a_unique_key(populated: World) -> None:
    stats = compute_stats(populated.users["city"], year=YEAR)
    assert [s.title for s in stats.sections] == ["责任在村落实", "组织在村建强", "干部在村成长", "资源在村整合",
                                                 "成效在村检验", "取得成效"]
    keys = [f.key for s in stats.sections for f in s.figures]
    assert len(keys) == len(set(keys))
    assert all(f.unit in UNITS for s in stats.sections for f in s.figures)


def test_the_whole_document_takes_a_fixed_number_of_queries(populated: World, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(60):
        compute_stats(populated.users["city"], year=YEAR)
