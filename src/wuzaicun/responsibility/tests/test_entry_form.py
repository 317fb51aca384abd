"""The entry form: villages, people, teams and households chosen with pickers; the kind's duties ticked."""

import re

from wuzaicun.responsibility.duties import STANDARD_DUTIES
from wuzaicun.responsibility.models import Assignment
from wuzaicun.testing import factories
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village


def _ticked(html):
    return re.findall(r'<input type="checkbox" name="duties" value="([^"]+)"[^>]*checked', html)


def test_the_new_entry_form_asks_for_no_numbers_and_ticks_the_kinds_duties(world, year_open, client_for):
    client = client_for("township_a")
    page = client.get(f"/responsibility/entries/new/?year={YEAR}&kind=helper").text
    assert "编号" not in page and "区划代码）" not in page
    assert 'hx-post="/regions/pick/villages/"' in page and 'hx-post="/registry/pick/households/"' in page
    assert 'data-within="village_code"' in page
    assert _ticked(page) == list(STANDARD_DUTIES["helper"])
    # choosing another kind fetches the form again: htmx swaps in that kind's duties
    other = client.get(f"/responsibility/entries/new/?year={YEAR}&kind=stationed", headers={"HX-Request": "true"})
    assert _ticked(other.text) == list(STANDARD_DUTIES["stationed"])
    assert 'hx-select="#field-duties"' in page and 'id="field-duties"' in page


def test_an_entry_saved_from_the_pickers_keeps_ticked_and_typed_duties(world, year_open, client_for):
    member = factories.person(world.regions[VILLAGE], name="助村党员", rank="农村党员")
    households = [h.pk for h in world.households[VILLAGE][:2]]
    done = client_for("township_a").post(f"/responsibility/entries/new/?year={YEAR}", {
        "kind": "helper", "village_code": VILLAGE, "person_id": member.pk, "household_ids": households,
        "duties": ["走访", "结对"], "other_duties": "宣传政策", "person_id_search": "", "household_ids_search": ""})
    assert done.status_code == 302
    entry = Assignment.objects_unscoped.get(person=member)
    assert entry.duties == ["走访", "结对", "宣传政策"]
    assert sorted(entry.household_links.values_list("household_id", flat=True)) == sorted(households)


def test_the_edit_form_shows_chosen_households_as_chips_and_other_duties_apart(world, year_open, client_for):
    helper = cover_village(world, VILLAGE)["helper0"]
    helper.duties = ["走访", "自定职责"]
    helper.save(update_fields=["duties"])
    page = client_for("township_a").get(f"/responsibility/entries/{helper.pk}/edit/").text
    chosen = helper.household_links.first().household
    assert "picker-chip" in page and f"{chosen.head_name}户" in page and chosen.resident_id_masked in page
    assert _ticked(page) == ["走访"] and 'value="自定职责"' in page


def test_a_household_of_another_county_posted_by_hand_is_refused(world, year_open, client_for):
    member = factories.person(world.regions[VILLAGE], name="助村党员", rank="农村党员")
    theirs = world.households["520303100201"][0].pk
    page = client_for("township_a").post(f"/responsibility/entries/new/?year={YEAR}", {
        "kind": "helper", "village_code": VILLAGE, "person_id": member.pk, "household_ids": [theirs],
        "duties": ["走访"]})
    assert page.status_code == 200 and "帮扶户不存在或不在您的管辖范围内" in page.text
    assert not Assignment.objects_unscoped.filter(person=member).exists()


def test_the_visit_form_picks_its_person_and_household(world, year_open, client_for):
    person, household = world.people[VILLAGE][0], world.households[VILLAGE][0]
    page = client_for("reporter_a").get(f"/responsibility/visits/new/?person_id={person.pk}&household_id={household.pk}")
    assert page.status_code == 200 and "编号" not in page.text
    assert person.resident_id_masked in page.text and f"{household.head_name}户" in page.text
