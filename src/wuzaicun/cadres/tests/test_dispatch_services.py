"""Writes of 选派: groups, dispatches, the 不脱钩 end refused and allowed, placements, scope and audit."""

from __future__ import annotations

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.cadres.models import Dispatch, Placement
from wuzaicun.cadres.services.dispatch import (
    create_dispatch,
    create_group,
    create_placement,
    end_dispatch,
    update_dispatch,
    update_group,
)
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied
from wuzaicun.regions.models import VillageYear

from .test_dispatch_world import A1, A2, B1, TOWNSHIP_A, TOWNSHIP_B, D, dispatch, person, units

REFUSED = "甲村尚未出列，群众不脱贫、干部不脱钩：须有接任的第一书记在2016-06-30前到岗，才能结束该选派"


@pytest.fixture
def u(world):
    return units(world)


def test_a_dispatch_is_recorded_in_scope_and_audited(world, u) -> None:
    actor = world.users["county_a"]
    made = create_dispatch(actor=actor, person_id=person(world, A1).pk, kind="first_secretary", unit_id=u["city"].pk,
                           village_code=A1, start=D(2015, 3, 1))
    assert made.unit == u["city"] and made.end is None  # a unit above the scope may send
    entry = AuditEntry.objects_unscoped.get(object_type="dispatch", object_id=str(made.pk))
    assert entry.region_code == A1 and "任第一书记" in entry.summary
    with pytest.raises(DomainError, match="已于2015-03-01选派到甲村任第一书记"):
        create_dispatch(actor=actor, person_id=person(world, A1).pk, kind="first_secretary", unit_id=u["a"].pk,
                        village_code=A1, start=D(2015, 3, 1))


@pytest.mark.parametrize(("change", "error"), [
    ({"village_code": B1}, NotFound),  # a village of county B
    ({"unit_id": "b"}, NotFound),  # a unit of county B
    ({"village_code": TOWNSHIP_A}, DomainError),  # a township is not a village
    ({"kind": "boss"}, DomainError),
    ({"end": D(2015, 1, 1)}, DomainError),  # before its start
])
def test_a_dispatch_is_refused(world, u, change, error) -> None:
    args = {"person_id": person(world, A1).pk, "kind": "resident", "unit_id": u["a"].pk, "village_code": A1,
            "start": D(2015, 3, 1)} | change
    if args["unit_id"] == "b":
        args["unit_id"] = u["b"].pk
    with pytest.raises(error):
        create_dispatch(actor=world.users["county_a"], **args)
    assert not Dispatch.objects_unscoped.exists()


def test_only_editors_dispatch(world, u) -> None:
    with pytest.raises(PermissionDenied):
        create_dispatch(actor=world.users["inspector_a"], person_id=person(world, A1).pk, kind="resident",
                        unit_id=u["a"].pk, village_code=A1, start=D(2015, 3, 1))


def test_ending_in_a_village_not_out_is_refused_without_a_successor(world, u) -> None:
    first = dispatch(world, u["a"], A1)
    with pytest.raises(DomainError) as refused:
        end_dispatch(actor=world.users["county_a"], dispatch_id=first.pk, end=D(2016, 6, 30))
    assert refused.value.message == REFUSED
    first.refresh_from_db()
    assert first.end is None


def test_a_successor_starting_the_day_after_is_too_late(world, u) -> None:
    first = dispatch(world, u["a"], A1)
    dispatch(world, u["a"], A1, i=1, start=D(2016, 7, 1))
    with pytest.raises(DomainError, match="群众不脱贫、干部不脱钩"):
        end_dispatch(actor=world.users["county_a"], dispatch_id=first.pk, end=D(2016, 6, 30))


def test_a_successor_of_another_type_does_not_count(world, u) -> None:
    first = dispatch(world, u["a"], A1)
    dispatch(world, u["a"], A1, i=1, kind="resident", start=D(2016, 6, 1))
    with pytest.raises(DomainError, match="接任的第一书记"):
        end_dispatch(actor=world.users["county_a"], dispatch_id=first.pk, end=D(2016, 6, 30))


def test_ending_with_a_successor_in_post_links_it(world, u) -> None:
    first = dispatch(world, u["a"], A1)
    successor = dispatch(world, u["a"], A1, i=1, start=D(2016, 6, 30))
    ended = end_dispatch(actor=world.users["county_a"], dispatch_id=first.pk, end=D(2016, 6, 30))
    assert ended.end == D(2016, 6, 30) and ended.successor_id == successor.pk
    assert AuditEntry.objects_unscoped.filter(object_type="dispatch", object_id=str(first.pk),
                                              summary__contains="结束").exists()


def test_ending_in_a_village_that_has_exited_is_allowed(world, u) -> None:
    VillageYear.objects_unscoped.filter(village_id=A1).update(exit_year=2016)
    first = dispatch(world, u["a"], A1)
    assert end_dispatch(actor=world.users["county_a"], dispatch_id=first.pk, end=D(2016, 6, 30)).successor is None


def test_ending_in_a_village_never_poor_is_allowed(world, u) -> None:
    first = dispatch(world, u["a"], A2)
    assert end_dispatch(actor=world.users["county_a"], dispatch_id=first.pk, end=D(2016, 6, 30)).end == D(2016, 6, 30)


def test_a_chosen_successor_must_qualify(world, u) -> None:
    first = dispatch(world, u["a"], A1)
    late = dispatch(world, u["a"], A1, i=1, start=D(2016, 8, 1))
    with pytest.raises(DomainError, match="所选接任选派"):
        end_dispatch(actor=world.users["county_a"], dispatch_id=first.pk, end=D(2016, 6, 30), successor_id=late.pk)


def test_an_update_that_sets_an_end_is_checked_too(world, u) -> None:
    first = dispatch(world, u["a"], A1)
    args = {"actor": world.users["county_a"], "dispatch_id": first.pk, "kind": "first_secretary",
            "unit_id": u["a"].pk, "start": D(2015, 3, 1)}
    with pytest.raises(DomainError, match="甲村尚未出列"):
        update_dispatch(**args, end=D(2016, 6, 30))
    changed = update_dispatch(**args | {"unit_id": u["city"].pk})
    assert changed.unit_id == u["city"].pk and changed.end is None


def test_out_of_scope_dispatches_are_not_found(world, u) -> None:
    theirs = dispatch(world, u["b"], B1)
    with pytest.raises(NotFound):
        end_dispatch(actor=world.users["county_a"], dispatch_id=theirs.pk, end=D(2016, 6, 30))


def test_groups_are_formed_and_members_must_be_of_their_village(world, u) -> None:
    actor = world.users["county_a"]
    made = create_group(actor=actor, village_code=A1, unit_id=u["a"].pk, start=D(2015, 3, 1),
                        leader_id=person(world, A1).pk)
    assert made.leader == person(world, A1)
    member = create_dispatch(actor=actor, person_id=person(world, A1).pk, kind="first_secretary", unit_id=u["a"].pk,
                             village_code=A1, start=D(2015, 3, 1), group_id=made.pk)
    assert list(made.dispatches.all()) == [member]
    with pytest.raises(DomainError, match="所选驻村工作组驻在甲村，不是乙村"):
        create_dispatch(actor=actor, person_id=person(world, A2).pk, kind="resident", unit_id=u["a"].pk,
                        village_code=A2, start=D(2015, 3, 1), group_id=made.pk)
    updated = update_group(actor=actor, group_id=made.pk, unit_id=u["city"].pk, start=D(2015, 3, 1), end=D(2016, 12, 1))
    assert updated.end == D(2016, 12, 1)
    with pytest.raises(DomainError, match="撤离日期"):
        update_group(actor=actor, group_id=made.pk, unit_id=u["a"].pk, start=D(2015, 3, 1), end=D(2015, 1, 1))
    with pytest.raises(NotFound):
        create_group(actor=world.users["county_b"], village_code=A1, unit_id=u["b"].pk, start=D(2015, 3, 1))
    with pytest.raises(NotFound):
        update_group(actor=world.users["county_b"], group_id=made.pk, unit_id=u["b"].pk, start=D(2015, 3, 1))


def test_placements_only_in_poor_townships_and_villages(world, u) -> None:
    actor = world.users["county_a"]
    upper = create_placement(actor=actor, person_id=person(world, A1).pk, kind="upper", region_code=TOWNSHIP_A,
                             post="党委书记", start=D(2016, 1, 1))
    reserve = create_placement(actor=actor, person_id=person(world, A2).pk, kind="reserve", region_code=A1,
                               start=D(2016, 1, 1))
    assert {upper.region_id, reserve.region_id} == {TOWNSHIP_A, A1}
    with pytest.raises(DomainError, match="乙村不是未出列的贫困村"):
        create_placement(actor=actor, person_id=person(world, A1).pk, kind="reserve", region_code=A2,
                         start=D(2016, 1, 1))
    VillageYear.objects_unscoped.filter(village_id=A1).update(exit_year=2016)
    with pytest.raises(DomainError, match="老城街道没有未出列的贫困村，不是贫困乡镇"):
        create_placement(actor=actor, person_id=person(world, A1).pk, kind="upper", region_code=TOWNSHIP_A,
                         start=D(2016, 1, 1))
    with pytest.raises(NotFound):
        create_placement(actor=actor, person_id=person(world, A1).pk, kind="upper", region_code=TOWNSHIP_B,
                         start=D(2016, 1, 1))
    assert Placement.objects_unscoped.count() == 2
    assert AuditEntry.objects_unscoped.filter(object_type="placement").count() == 2

