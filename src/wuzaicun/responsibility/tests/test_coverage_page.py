"""The coverage page reads in Chinese: rule names, subjects by kind and place with a link to open them,
every gap paged (no cap), filtered by rule."""

import re

from lxml import html

from wuzaicun.responsibility.coverage import coverage_report
from wuzaicun.responsibility.rules import RULES_BY_CODE
from wuzaicun.testing.lists import YEAR


def test_gaps_are_paged_named_and_linked_to_their_subjects(world, year_open, client_for):
    client = client_for("county_a")
    report = coverage_report(world.users["county_a"], year=YEAR, region=None)
    total = len(report.gaps)
    assert total > 3
    page = client.get("/responsibility/coverage/", {"page_size": 10}).text
    assert f"共 {total} 条" in page
    visible = html.fromstring(page).text_content()  # what a user reads (codes may stay in links and values)
    assert not re.search(r"village_bangcun|household_helpers_min3|village #|household #", visible)
    assert RULES_BY_CODE["village_bangcun"].title in page and "甲村" in page
    assert f'href="/responsibility/entries/?year={YEAR}&amp;region=520302001001"' in page
    household = world.households["520302001001"][0]
    filtered = client.get("/responsibility/coverage/", {"rule": "household_helpers_min3", "page_size": 100}).text
    helpers = sum(1 for g in report.gaps if g.rule == "household_helpers_min3")
    assert f"共 {helpers} 条" in filtered and f'href="/registry/households/{household.pk}/"' in filtered
    assert "丙村" not in page  # county B's village is not the county A user's


def test_the_entries_page_runs_the_same_queries_for_one_village_or_two(world, year_open, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuzaicun.testing.lists import VILLAGE, cover_village

    client = client_for("county_a")
    client.get("/")  # the session's first save is not the page's
    cover_village(world, VILLAGE)
    client.get("/responsibility/entries/")  # the session's idle expiry moves (a save) at most once a minute
    with CaptureQueriesContext(connection) as one:
        first = client.get("/responsibility/entries/", {"page_size": 100})
    cover_village(world, "520302001002")
    with CaptureQueriesContext(connection) as two:
        second = client.get("/responsibility/entries/", {"page_size": 100})
    assert first.status_code == second.status_code == 200
    assert len(one.captured_queries) == len(two.captured_queries) <= 15
    assert second.text.count("<tr>") > first.text.count("<tr>")
    assert ">3</td>" in second.text  # each helper's entry shows its households
