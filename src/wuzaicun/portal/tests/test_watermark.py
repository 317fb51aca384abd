"""The watermark (viewer, account, time) is on every page a signed-in user opens, not only the registry's."""

from __future__ import annotations

import datetime as dt
import re

from wuzaicun.responsibility.services import add_line
from wuzaicun.testing.crawler import crawl
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village
from wuzaicun.verification.models import SpotCheckPick
from wuzaicun.verification.services import draw_spot_check_plan, record_finding

VIEWER = "红花岗区张干部"
STAMP = re.compile(rf'<div class="watermark" aria-hidden="true">(<span>{VIEWER} county_a \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}</span>)+</div>')


def _pages_with_personal_data(world) -> list[str]:
    """The responsibility, verification, registry and audit pages, filled with entries, picks and a finding."""
    made = cover_village(world, VILLAGE)
    add_line(actor=world.users["township_a"], assignment_id=made["stationed"].pk, commitment="发展茶叶产业")
    inspector = world.users["inspector_a"]
    plan = draw_spot_check_plan(actor=world.users["county_a"], year=YEAR, quarter=3, region_code="520302000000",
                                inspector_ids=[inspector.pk])
    pick = SpotCheckPick.objects_unscoped.filter(plan=plan).first()
    record_finding(actor=inspector, pick_id=pick.pk, visited_on=dt.date(2016, 8, 2), inspector_ids=[inspector.pk],
                   checklist={"no_notice": True}, result="in_place", notes="群众知晓帮扶干部")
    household = world.households[VILLAGE][0]
    return [
        "/",
        f"/responsibility/?year={YEAR}",
        f"/responsibility/entries/?year={YEAR}",
        f"/responsibility/entries/{made['helper0'].pk}/edit/",
        f"/responsibility/coverage/?year={YEAR}",
        f"/responsibility/ledger/village/{VILLAGE}/?year={YEAR}",
        f"/responsibility/ledger/person/{made['stationed'].person_id}/?year={YEAR}",
        "/responsibility/review/",
        f"/responsibility/visits/new/?household_id={household.pk}",
        "/verification/plans/",
        f"/verification/plans/{plan.pk}/",
        f"/verification/results/?year={YEAR}",
        "/registry/tree/",
        f"/registry/tree/{VILLAGE}/",
        "/registry/households/",
        f"/registry/households/{household.pk}/",
        "/registry/people/",
        "/regions/villages/",
    ]


def test_every_page_a_county_user_opens_carries_the_viewers_name_account_and_time(world, year_open, client_for):
    user = world.users["county_a"]
    user.full_name = VIEWER
    user.save(update_fields=["full_name"])
    client = client_for("county_a")
    listed = _pages_with_personal_data(world)

    for url in listed:
        response = client.get(url)
        assert response.status_code == 200, url
        assert STAMP.search(response.text), f"{url} has no watermark"
    plan_page = client.get(listed[10]).text
    assert "picks-table" in plan_page and "<td>到位" in plan_page  # the picks and the finding are shown

    # and every other page of the site the crawler reaches
    pages = [v for v in crawl(client, world)
             if v.status == 200 and v.headers.get("Content-Type", "").startswith("text/html")]
    assert len(pages) > 10
    for visit in pages:
        assert STAMP.search(visit.body), f"{visit.url} has no watermark"


def test_an_htmx_partial_lands_in_a_page_that_already_has_the_watermark(world, client_for):
    client = client_for("county_a")
    partial = client.get("/registry/households/?q=甲村", headers={"HX-Request": "true"}).text
    page = client.get("/registry/households/?q=甲村").text

    assert "甲村户主0" in partial and 'class="watermark"' not in partial
    assert page.count('class="watermark"') == 1


def test_signed_out_pages_carry_no_watermark(world):
    from django.test import Client

    assert 'class="watermark"' not in Client().get("/accounts/login/").text
