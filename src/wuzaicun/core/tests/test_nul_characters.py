"""A NUL character never reaches the database (PostgreSQL cannot store or compare one): the API's JSON bodies,
any query string and any path are refused with 400 in Chinese, and nothing is saved."""

from wuzaicun.organization.models import SupervisoryCommittee


def test_a_json_body_with_a_nul_is_refused_and_saves_nothing(world, client_for):
    client = client_for("county_a")
    response = client.post("/api/organization/committees", {"village_code": "520302001001\x00", "members": []},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "空字符" in response.json()["message"]
    assert not SupervisoryCommittee.objects_unscoped.exists()
    nested = client.post("/api/organization/committees",
                         {"village_code": "520302001001", "members": [{"person_id": 1, "post": "chair\x00"}]},
                         content_type="application/json")
    assert nested.status_code == 400 and not SupervisoryCommittee.objects_unscoped.exists()


def test_a_query_string_with_a_nul_is_refused_on_pages_and_the_api(world, client_for):
    client = client_for("county_a")
    api = client.get("/api/registry/people", {"q": "张\x00"})
    assert api.status_code == 400 and api.json()["code"] == "invalid"
    page = client.get("/registry/people/", {"q": "张\x00"})
    assert page.status_code == 400
    assert client.get("/registry/people/", {"q": "张"}).status_code == 200
