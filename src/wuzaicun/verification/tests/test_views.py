"""Spot-check pages: the picks stay secret from everybody but the owner and inspectors, and nothing of
them leaks into any page a user of a picked village can open (byte for byte, tokens aside)."""

import re

from wuzaicun.testing.crawler import crawl
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village
from wuzaicun.verification.services import close_plan, draw_spot_check_plan

_VOLATILE = re.compile(r'csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"|\d{4}-\d{2}-\d{2} \d{2}:\d{2}|请求编号：[0-9a-f]+')


def _pages(client, world):
    # Spreadsheet downloads carry their creation time; they are empty templates, the same for everybody.
    # The public register lists every plan from its draw on (that a plan exists is public, its picks are not):
    # its pages are checked on their own below.
    return {v.url: (v.status, _VOLATILE.sub("", v.body)) for v in crawl(client, world)
            if not v.body.startswith("PK") and not v.url.startswith("/public/spotcheck/")}


def test_users_of_a_picked_village_see_exactly_the_same_pages_before_and_after_the_draw(world, year_open, client_for):
    cover_village(world, VILLAGE)
    for username in ("reporter_a", "township_a", "leader_a"):
        client = client_for(username)
        before = _pages(client, world)
        plan = draw_spot_check_plan(actor=world.users["city"], year=YEAR, quarter=3, region_code="520300000000")
        after = _pages(client, world)
        assert before == after, username
        close_plan(actor=world.users["city"], plan_id=plan.pk)
        from wuzaicun.verification.models import SpotCheckPlan

        SpotCheckPlan.objects_unscoped.all().delete()


def test_the_plan_page_shows_picks_to_the_owner_only_until_closed_then_verifies(world, year_open, client_for):
    cover_village(world, VILLAGE)
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000")
    owner = client_for("county_a").get(f"/verification/plans/{plan.pk}/").text
    assert "picks-table" in owner and "甲村" in owner
    other = client_for("inspector_a").get(f"/verification/plans/{plan.pk}/").text
    assert "picks-secret" in other and "picks-table" not in other
    close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    public = client_for("inspector_a").get(f"/verification/plans/{plan.pk}/").text
    assert "picks-table" in public and "核验通过" in public


def test_the_results_page_lists_scoped_results_and_the_county_rollup(world, year_open, client_for):
    from wuzaicun.verification.assessment import run_assessment

    run_assessment(actor=world.users["city"], year=YEAR, region_code="520300000000")
    page_a = client_for("county_a").get(f"/verification/results/?year={YEAR}").text
    assert "甲村" in page_a and "丙村" not in page_a and "county-rollup" in page_a
    city = client_for("city").get(f"/verification/results/?year={YEAR}&level=4").text
    assert "老城街道" in city and "高坪镇" in city
    refused = client_for("leader_a").post("/verification/results/locked/", {"year": YEAR})
    assert refused.status_code == 403


def test_a_closed_plan_is_verifiable_by_anybody_and_an_open_one_shows_its_commitment_only(world, year_open):
    from django.test import Client

    from wuzaicun.verification.models import SpotCheckPick

    cover_village(world, VILLAGE)
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000")
    anonymous = Client()
    register = anonymous.get("/public/spotcheck/").text
    assert plan.seed_commitment[:14] in register and "已抽取（保密）" in register
    open_page = anonymous.get(f"/public/spotcheck/{plan.pk}/")
    assert open_page.status_code == 200 and plan.seed_commitment in open_page.text
    assert plan.population_hash in open_page.text and "抽中条目编号" not in open_page.text
    assert "download=population" not in open_page.text
    assert anonymous.get(f"/public/spotcheck/{plan.pk}/?download=population").status_code == 404
    close_plan(actor=world.users["county_a"], plan_id=plan.pk)
    page = anonymous.get(f"/public/spotcheck/{plan.pk}/")
    assert page.status_code == 200 and "核验通过" in page.text and plan.seed_commitment in page.text
    assert "甲村" not in page.text  # entry numbers, not names
    csv = anonymous.get(f"/public/spotcheck/{plan.pk}/?download=population").content.decode()
    assert csv.splitlines()[0] == "entry_id,kind,county" and len(csv.splitlines()) == plan.population_size + 1
    SpotCheckPick.objects_unscoped.filter(plan=plan).first().delete()
    assert "核验失败" in anonymous.get(f"/public/spotcheck/{plan.pk}/").text


def test_the_draw_form_assigns_inspectors(world, year_open, client_for):
    from wuzaicun.verification.models import SpotCheckPlan

    cover_village(world, VILLAGE)
    inspector = world.users["inspector_a"]
    page = client_for("county_a").get("/verification/plans/")
    assert inspector.display_name in page.text
    response = client_for("county_a").post("/verification/plans/draw/", {
        "quarter": "2016Q3", "rate": "0.10", "region": "520302", "inspectors": [inspector.pk]})
    assert response.status_code == 302
    plan = SpotCheckPlan.objects_unscoped.get()
    assert list(plan.inspectors.all()) == [inspector]
    assert "picks-table" in client_for("inspector_a").get(f"/verification/plans/{plan.pk}/").text


def test_the_draw_form_offers_the_area_by_name_and_the_next_quarter_of_the_working_year(world, year_open, client_for):
    """No code to type: the area is a picker showing the user's own area by name, the quarter a list of the
    working year's quarters (and the year before's) set on the first not yet drawn; the results filter the same."""
    cover_village(world, VILLAGE)
    page = client_for("county_a").get("/verification/plans/").text
    assert 'data-picker="region"' in page and "红花岗区" in page and 'placeholder="2016Q3"' not in page
    assert re.search(rf'<option value="{YEAR}Q1" selected>{YEAR}年第1季度</option>', page)
    assert f'<option value="{YEAR - 1}Q4">{YEAR - 1}年第4季度</option>' in page
    draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=1, region_code="520302000000")
    # the city's plan covers the county: its quarter is taken for the county too (the draw's overlap rule)
    draw_spot_check_plan(actor=world.users["city"], year=YEAR, quarter=2, region_code="520300000000")
    page = client_for("county_a").get("/verification/plans/").text
    assert re.search(rf'<option value="{YEAR}Q3" selected>', page)
    assert re.search(rf'<option value="{YEAR}Q1" selected>', client_for("county_b").get("/verification/plans/").text)
    results = client_for("county_a").get(f"/verification/results/?year={YEAR}&region=520302000000").text
    assert 'data-picker="region"' in results and 'value="520302000000"' in results and "红花岗区" in results
    assert 'placeholder="区划代码"' not in results
