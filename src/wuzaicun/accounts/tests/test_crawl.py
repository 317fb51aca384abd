"""The crawler's checks: no cross-scope leak (both directions), no full ID anywhere, no-store caching.

The crawler signs in as a person does: the login page, then for the administrators (who hold an authenticator)
the dynamic-code page (`testing.twofa.log_in`)."""

import pytest
from django.test import Client

from wuzaicun.registry.models import Household, Person
from wuzaicun.testing.crawler import all_text, crawl
from wuzaicun.testing.twofa import log_in
from wuzaicun.testing.world import ROLES

EVERY_USER = [username for username, _, _ in ROLES]


@pytest.fixture
def signed_in(world):
    def make(username: str) -> Client:
        client = Client()
        assert log_in(client, username)["Location"] == "/", username
        assert client.get("/").status_code == 200, username
        return client

    return make

COUNTY_A_ONLY = ("甲村", "乙村", "老城街道")
COUNTY_B_ONLY = ("丙村", "丁村", "高坪镇")


def _names(prefix: str) -> list[str]:
    heads = Household.objects_unscoped.filter(region__code__startswith=prefix).values_list("head_name", flat=True)
    people = Person.objects_unscoped.filter(region__code__startswith=prefix).values_list("name", flat=True)
    return [*heads, *people]


@pytest.mark.parametrize(
    ("user", "own", "other", "own_prefix", "other_prefix"),
    [
        ("county_a", COUNTY_A_ONLY, COUNTY_B_ONLY, "520302", "520303"),
        ("county_b", COUNTY_B_ONLY, COUNTY_A_ONLY, "520303", "520302"),
    ],
)
def test_a_county_user_sees_its_own_county_and_nothing_of_the_other(
    world, signed_in, user, own, other, own_prefix, other_prefix
):
    text = all_text(crawl(signed_in(user), world))
    for name in own:
        assert name in text, f"{user} should see {name}"
    for name in _names(own_prefix):
        assert name in text, f"{user} should see {name}"
    for name in other:
        assert name not in text, f"{user} leaked {name}"
    for name in _names(other_prefix):
        assert name not in text, f"{user} leaked {name}"


def test_out_of_scope_objects_answer_404_like_missing_ones(world, client_for):
    visits = {v.url: v for v in crawl(client_for("county_a"), world)}
    other = world.households["520303100201"][0]
    assert visits[f"/registry/households/{other.pk}/"].status == 404
    assert visits[f"/api/households/{other.pk}"].status == 404
    assert visits["/registry/tree/520303000000/"].status == 404
    assert visits["/api/regions/520303000000"].status == 404
    own = world.households["520302001001"][0]
    assert visits[f"/registry/households/{own.pk}/"].status == 200
    assert visits[f"/api/households/{own.pk}"].status == 200


@pytest.mark.parametrize("user", ["security", "auditor"])
def test_the_security_and_audit_administrators_see_no_business_data(world, signed_in, user):
    """三员分立: whatever page or API route they open, no household, person or village of either county shows."""
    visits = crawl(signed_in(user), world)
    assert not [v.url for v in visits if v.status >= 500]
    assert any(v.status == 200 for v in visits)
    text = all_text(visits)
    for name in (*COUNTY_A_ONLY, *COUNTY_B_ONLY, *_names("520302"), *_names("520303")):
        assert name not in text, f"{user} saw {name}"


@pytest.mark.parametrize("user", EVERY_USER)
def test_no_response_carries_a_full_resident_id_and_pages_are_not_cached(world, signed_in, user):
    """Every role, signed in through both steps: no page, API answer or export the crawler can open shows a
    full resident ID (nor its 18 characters with the birth date's dashes left out), whether or not the role may
    reveal one (revealing is a POST with a reason, never a GET)."""
    numbers = [h.reveal_resident_id() for h in Household.objects_unscoped.all()]
    numbers += [p.reveal_resident_id() for p in Person.objects_unscoped.all()]
    visits = crawl(signed_in(user), world)
    assert any(v.status == 200 for v in visits)
    text = all_text(visits)
    for number in numbers:
        assert number not in text
    for visit in visits:
        if visit.status == 200:
            assert visit.headers.get("Cache-Control") == "no-store", visit.url


def test_masked_numbers_are_what_users_see(world, client_for):
    text = all_text(crawl(client_for("city"), world))
    for household in Household.objects_unscoped.all():
        number = household.reveal_resident_id()
        assert f"{number[:6]}********{number[-4:]}" in text


def test_anonymous_visitors_are_sent_to_login_and_the_api_answers_401(world):
    from django.test import Client

    client = Client()
    visits = crawl(client, world)
    public = {"/accounts/login/", "/api/openapi.json"}  # the schema describes the API, it holds no data
    for visit in visits:
        if visit.url in public:
            assert visit.status == 200, visit.url
        elif visit.url.startswith("/public/"):  # closed plans' verification only; nothing else is public
            assert visit.status in (200, 404), visit.url
        elif visit.url.startswith("/api/"):
            assert visit.status in (401, 405), visit.url
        else:
            assert visit.status == 302, visit.url
            assert visit.headers["Location"].startswith("/accounts/login/")
