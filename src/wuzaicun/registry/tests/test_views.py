"""Registry pages: masked IDs, scope both ways."""

from wuzaicun.testing.world import county_a_household, county_b_household


def test_county_user_sees_own_household_masked_and_gets_404_for_other_county(world, client_for):
    own, other = county_a_household(world), county_b_household(world)
    client_a, client_b = client_for("county_a"), client_for("county_b")

    page = client_a.get(f"/registry/households/{own.pk}/")
    assert page.status_code == 200
    assert own.resident_id_masked in page.text
    assert own.reveal_resident_id() not in page.text
    assert client_a.get(f"/registry/households/{other.pk}/").status_code == 404

    assert client_b.get(f"/registry/households/{other.pk}/").status_code == 200
    assert client_b.get(f"/registry/households/{own.pk}/").status_code == 404
