"""干部培训's writes: a session (level and region, dates, duplicates, scope), its attendance (several people at
once, a duplicate refused by name, out of scope refused), each with its audit row."""

from __future__ import annotations

import datetime as dt

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.cadres.models import Attendance, TrainingSession
from wuzaicun.cadres.services.training import add_attendees, delete_session, remove_attendee, save_session
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied

from .test_training_helpers import CITY, COUNTY_A, COUNTY_B, TOWN_A, build_training

D = dt.date(2016, 5, 10)


def values(**changes):
    return {"name": "红花岗区驻村干部培训班", "level": "county", "region_code": COUNTY_A, "organiser": "区委组织部",
            "topic": "驻村帮扶实务", "start": D, "end": D + dt.timedelta(days=3),
            "target_groups": ["village_cadres", "dispatched"]} | changes


def test_a_county_administrator_adds_a_county_session(world) -> None:
    session = save_session(actor=world.users["county_a"], **values())
    assert session.year == 2016 and session.target_groups == ["dispatched", "village_cadres"]
    entry = AuditEntry.objects_unscoped.get(object_type="training_session", object_id=str(session.pk))
    assert entry.summary == "新增培训班 红花岗区驻村干部培训班" and entry.region_code == COUNTY_A


@pytest.mark.parametrize(("changes", "message"), [
    ({"level": "city"}, "市级培训班须由市（州）举办，请选择市（州）级区划"),
    ({"region_code": TOWN_A}, "县级培训班须由县（市、区）举办，请选择县（市、区）级区划"),
    ({"end": D - dt.timedelta(days=1)}, "结束日期 2016-05-09 早于开始日期 2016-05-10"),
    ({"target_groups": []}, "请至少选择一类培训对象"),
    ({"region_code": COUNTY_B}, f"举办区划“{COUNTY_B}”不存在或不在您的管辖范围内"),
    ({"region_code": CITY, "level": "city"}, f"举办区划“{CITY}”不存在或不在您的管辖范围内"),
])
def test_a_session_is_refused_with_the_reason(world, changes, message) -> None:
    with pytest.raises(DomainError) as refused:
        save_session(actor=world.users["county_a"], **values(**changes))
    assert refused.value.message == message
    assert not TrainingSession.objects_unscoped.exists()


def test_the_city_holds_a_city_session_and_names_repeat_only_across_years(world) -> None:
    city = world.users["city"]
    save_session(actor=city, **values(level="city", region_code=CITY, name="遵义市第一期"))
    with pytest.raises(DomainError, match="遵义市2016年已有名为“遵义市第一期”的培训班"):
        save_session(actor=city, **values(level="city", region_code=CITY, name="遵义市第一期"))
    save_session(actor=city, **values(level="city", region_code=CITY, name="遵义市第一期", start=dt.date(2017, 3, 1),
                                      end=dt.date(2017, 3, 2)))
    assert TrainingSession.objects_unscoped.filter(name="遵义市第一期").count() == 2


def test_an_update_and_a_delete_are_audited_and_scoped(world) -> None:
    session = save_session(actor=world.users["county_a"], **values())
    save_session(actor=world.users["county_a"], session_id=session.pk, **values(topic="产业扶贫"))
    session.refresh_from_db()
    assert session.topic == "产业扶贫"
    with pytest.raises(NotFound):
        save_session(actor=world.users["county_b"], session_id=session.pk, **values(region_code=COUNTY_B))
    with pytest.raises(NotFound):
        delete_session(actor=world.users["county_b"], session_id=session.pk)
    with pytest.raises(PermissionDenied):
        delete_session(actor=world.users["leader_a"], session_id=session.pk)
    delete_session(actor=world.users["county_a"], session_id=session.pk)
    assert not TrainingSession.objects_unscoped.exists()
    assert AuditEntry.objects_unscoped.filter(object_type="training_session", action="delete").count() == 1


def test_several_attendees_are_added_and_a_duplicate_is_refused_by_name(world) -> None:
    t = build_training(world)
    actor = world.users["county_a"]
    people = [t.people["cadre_a"].pk, t.people["dispatched_a"].pk, t.people["cadre_a"].pk]
    assert add_attendees(actor=actor, session_id=t.sessions["a"].pk, person_ids=people) == 2
    with pytest.raises(DomainError) as refused:
        add_attendees(actor=actor, session_id=t.sessions["a"].pk,
                      person_ids=[t.people["leader_a"].pk, t.people["cadre_a"].pk])
    assert refused.value.message == "村干部a已在“红花岗区2016年村干部培训班”的参训名单中，不能重复登记"
    assert Attendance.objects_unscoped.filter(session=t.sessions["a"]).count() == 2  # all or nothing
    entry = AuditEntry.objects_unscoped.filter(object_type="training_session").latest("id")
    assert entry.summary == "红花岗区2016年村干部培训班登记参训 2 人"


def test_attendees_and_sessions_out_of_scope_are_refused(world) -> None:
    t = build_training(world)
    actor = world.users["county_a"]
    with pytest.raises(DomainError, match="所选人员不存在或不在您的管辖范围内"):
        add_attendees(actor=actor, session_id=t.sessions["a"].pk, person_ids=[t.people["cadre_b"].pk])
    with pytest.raises(NotFound):
        add_attendees(actor=actor, session_id=t.sessions["b"].pk, person_ids=[t.people["cadre_a"].pk])
    with pytest.raises(NotFound):  # the city's session concerns the city, not county A
        add_attendees(actor=actor, session_id=t.sessions["city"].pk, person_ids=[t.people["cadre_a"].pk])
    with pytest.raises(DomainError, match="请选择参训人员"):
        add_attendees(actor=actor, session_id=t.sessions["a"].pk, person_ids=[])
    with pytest.raises(PermissionDenied):
        add_attendees(actor=world.users["inspector_a"], session_id=t.sessions["a"].pk,
                      person_ids=[t.people["cadre_a"].pk])


def test_an_attendee_is_removed_once(world) -> None:
    t = build_training(world)
    city = world.users["city"]
    remove_attendee(actor=city, session_id=t.sessions["city"].pk, person_id=t.people["leader_a"].pk)
    assert not Attendance.objects_unscoped.filter(session=t.sessions["city"]).exists()
    with pytest.raises(NotFound, match="该人员不在本培训班的参训名单中"):
        remove_attendee(actor=city, session_id=t.sessions["city"].pk, person_id=t.people["leader_a"].pk)
    with pytest.raises(NotFound):
        remove_attendee(actor=world.users["county_a"], session_id=t.sessions["b"].pk,
                        person_id=t.people["cadre_b"].pk)
    assert Attendance.objects_unscoped.filter(session=t.sessions["b"]).exists()
