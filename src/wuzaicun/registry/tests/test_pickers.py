"""The pickers' search endpoints: matches by name, ID tail, masked or full ID, only within the user's scope."""

import pytest

from wuzaicun.registry.models import LeadershipTeam
from wuzaicun.testing import factories

A_VILLAGE, B_VILLAGE = "520302001001", "520303100201"


def _pick(client, kind, term="", *, within="", app="registry"):
    data = {"picker": "f", "f_search": term, "within_field": "v" if within else "", "v": within}
    return client.post(f"/{app}/pick/{kind}/", data, headers={"HX-Request": "true"})


def test_a_person_is_found_by_name_with_place_and_masked_id(world, client_for):
    person = world.people[A_VILLAGE][0]
    page = _pick(client_for("county_a"), "people", "甲村党员")
    assert page.status_code == 200
    assert person.name in page.text and person.resident_id_masked in page.text and "红花岗区甲村" in page.text
    assert person.reveal_resident_id() not in page.text


@pytest.mark.parametrize("kind", ["people", "households"])
def test_a_county_b_object_never_appears_for_a_county_a_user_whatever_is_typed(world, client_for, kind):
    mine = world.people[A_VILLAGE][0] if kind == "people" else world.households[A_VILLAGE][0]
    theirs = world.people[B_VILLAGE][0] if kind == "people" else world.households[B_VILLAGE][0]
    number = theirs.reveal_resident_id()
    client = client_for("county_a")
    for term in ["村", number, number[-4:], theirs.resident_id_masked, "丙村"]:
        text = _pick(client, kind, term).text
        assert theirs.resident_id_masked not in text and "丙村" not in text, term
    assert mine.resident_id_masked in _pick(client, kind, "村").text
    # and the other way round: county B finds its own, never county A's
    text = _pick(client_for("county_b"), kind, "村").text
    assert theirs.resident_id_masked in text and mine.resident_id_masked not in text


def test_the_full_id_finds_through_the_blind_index_and_the_tail_through_the_mask(world, client_for):
    household = world.households[A_VILLAGE][1]
    client = client_for("county_a")
    by_full = _pick(client, "households", household.reveal_resident_id()).text
    assert household.head_name in by_full and household.reveal_resident_id() not in by_full
    assert household.head_name in _pick(client, "households", household.resident_id_masked[-4:]).text
    assert household.head_name in _pick(client, "households", household.resident_id_masked).text


def test_households_within_the_chosen_village_are_listed_before_anything_is_typed(world, client_for):
    client = client_for("county_a")
    text = _pick(client, "households", within=A_VILLAGE).text
    assert all(h.head_name in text for h in world.households[A_VILLAGE])
    assert not any(h.head_name in text for h in world.households["520302001002"])
    assert "丙村" not in _pick(client, "households", within=B_VILLAGE).text  # a village out of scope: nothing
    assert _pick(client, "households").text.strip() == ""  # nothing typed and no village: no list


def test_teams_and_villages_are_searched_by_name_within_scope(world, client_for):
    LeadershipTeam.objects_unscoped.create(name="红花岗区委班子", region=world.regions["520302000000"])
    LeadershipTeam.objects_unscoped.create(name="汇川区委班子", region=world.regions["520303000000"])
    client = client_for("county_a")
    teams = _pick(client, "teams", "区委").text
    assert "红花岗区委班子" in teams and "汇川区委班子" not in teams
    villages = _pick(client, "villages", "村", app="regions").text
    assert "甲村" in villages and "乙村" in villages and "老城街道" in villages and "丙村" not in villages
    assert "甲村" in _pick(client, "villages", "520302001001", app="regions").text
    assert "丙村" not in _pick(client, "villages", "520303", app="regions").text
    regions = _pick(client, "regions", "老城", app="regions").text
    assert "老城街道" in regions


def test_the_search_is_a_post_so_a_typed_id_never_lands_in_a_url(world, client_for):
    client = client_for("county_a")
    assert client.get("/registry/pick/people/", {"f_search": "x"}).status_code == 405
    assert client.get("/regions/pick/villages/").status_code == 405
    assert _pick(client, "nothing", "x").status_code == 404


def test_a_long_search_says_there_are_more(world, client_for):
    for i in range(25):
        factories.household(world.regions[A_VILLAGE], head_name=f"同名{i}")
    text = _pick(client_for("county_a"), "households", "同名").text
    assert text.count('role="option"') == 20 and "仅显示前 20 条" in text
