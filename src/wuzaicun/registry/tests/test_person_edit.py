"""Editing a person from the people list: 修改 in the 操作 column, optimistic locking, scope, audit."""

import pytest

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import Conflict, NotFound
from wuzaicun.registry.models import Person
from wuzaicun.registry.services import update_person
from wuzaicun.testing.factories import next_resident_id

A_VILLAGE, B_VILLAGE = "520302001001", "520303100201"


def _post(person, **changes):
    return {"region_code": person.region_id, "name": person.name, "sex": "", "ethnicity": person.ethnicity,
            "political_status": person.political_status, "post": person.post, "rank": person.rank,
            "resident_id": "", "phone": "", "version": person.version, **changes}


def test_the_people_list_has_an_edit_link_for_editors_only(world, client_for):
    person = world.people[A_VILLAGE][0]
    assert f"/registry/people/{person.pk}/edit/" in client_for("county_a").get("/registry/people/").text
    assert "/edit/" not in client_for("inspector_a").get("/registry/people/").text


def test_a_person_is_edited_and_the_change_audited_with_the_number_kept(world, client_for):
    person = world.people[A_VILLAGE][0]
    client = client_for("county_a")
    page = client.get(f"/registry/people/{person.pk}/edit/")
    assert page.status_code == 200 and person.resident_id_masked in page.text and "甲村" in page.text
    done = client.post(f"/registry/people/{person.pk}/edit/", _post(person, post="村支书", region_code="520302001002"))
    assert done.status_code == 302
    saved = Person.objects_unscoped.get(pk=person.pk)
    assert (saved.post, saved.region_id, saved.version) == ("村支书", "520302001002", person.version + 1)
    assert saved.resident_id_hash == person.resident_id_hash
    row = AuditEntry.objects_unscoped.get(action="update", object_type="person", object_id=str(person.pk))
    assert row.changes["post"] == ["", "村支书"]


def test_a_stale_edit_answers_409_and_changes_nothing(world, client_for):
    person = world.people[A_VILLAGE][0]
    client = client_for("county_a")
    assert client.post(f"/registry/people/{person.pk}/edit/", _post(person, post="一")).status_code == 302
    stale = client.post(f"/registry/people/{person.pk}/edit/", _post(person, post="二"))
    assert stale.status_code == 409 and Person.objects_unscoped.get(pk=person.pk).post == "一"


def test_a_person_of_another_county_is_not_found_and_cannot_be_moved_out_of_scope(world, client_for):
    theirs = world.people[B_VILLAGE][0]
    client = client_for("county_a")
    assert client.get(f"/registry/people/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/registry/people/{theirs.pk}/edit/", _post(theirs)).status_code == 404
    mine = world.people[A_VILLAGE][0]
    with pytest.raises(NotFound):
        update_person(actor=world.users["county_a"], person_id=mine.pk, expected_version=mine.version,
                      region_code=B_VILLAGE, name=mine.name)
    with pytest.raises(Conflict):
        update_person(actor=world.users["county_a"], person_id=mine.pk, expected_version=mine.version + 5,
                      region_code=A_VILLAGE, name=mine.name)


def test_a_new_number_replaces_the_old_and_is_audited_masked(world):
    person = world.people[A_VILLAGE][0]
    number = next_resident_id("520302")
    saved = update_person(actor=world.users["county_a"], person_id=person.pk, expected_version=person.version,
                          region_code=A_VILLAGE, name=person.name, resident_id=number)
    assert saved.reveal_resident_id() == number
    row = AuditEntry.objects_unscoped.get(action="update", object_type="person", object_id=str(person.pk))
    assert number not in str(row.changes) and saved.resident_id_masked in str(row.changes)
