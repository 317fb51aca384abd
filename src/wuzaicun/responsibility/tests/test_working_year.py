"""Pages and commands open on the working year (the latest year of lists, or the one the city administrator
set), never the calendar year; every year-bound page offers a year selector; the year is set up by script."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.errors import DomainError, NotFound, PermissionDenied
from wuzaicun.responsibility.models import ResponsibilityYear, RuleSetting
from wuzaicun.responsibility.selectors import working_year
from wuzaicun.responsibility.services import open_year, set_working_year

YEAR_BOUND_PAGES = ["/", "/responsibility/", "/responsibility/entries/", "/responsibility/coverage/",
                    "/responsibility/rules/", "/responsibility/ledger/village/520302001001/",
                    "/verification/results/"]


def test_the_working_year_is_the_latest_year_of_lists_unless_the_city_sets_one(world, year_open):
    assert working_year() == 2016
    open_year(actor=world.users["city"], year=2017)
    assert working_year() == 2017
    set_working_year(actor=world.users["city"], year=2016)
    assert working_year() == 2016
    assert AuditEntry.objects_unscoped.filter(object_type="responsibility_year", summary__contains="工作年度").exists()
    with pytest.raises((PermissionDenied, NotFound)):
        set_working_year(actor=world.users["county_a"], year=2017)  # not the county's to set
    with pytest.raises(DomainError, match="尚未设立"):
        set_working_year(actor=world.users["city"], year=2030)
    assert list(ResponsibilityYear.objects_unscoped.filter(is_working=True).values_list("year", flat=True)) == [2016]


@pytest.mark.parametrize("url", YEAR_BOUND_PAGES)
def test_year_bound_pages_open_on_the_working_year_with_a_selector(world, year_open, client_for, url):
    open_year(actor=world.users["city"], year=2015)  # an older year: not the default
    page = client_for("county_a").get(url)
    assert page.status_code == 200, url
    text = page.text
    assert 'class="form-select form-select-sm w-auto d-inline-block year-select"' in text
    assert '<option value="2016" selected>2016年（工作年度）</option>' in text
    assert '<option value="2015" >2015年</option>' in text
    other = client_for("county_a").get(url, {"year": 2015}).text
    assert '<option value="2015" selected>2015年</option>' in other


def test_the_home_to_do_counts_the_working_years_fourth_quarter(world, year_open, client_for):
    text = client_for("township_a").get("/").text
    assert "2016年第4季度待对账的台账条目" in text


def test_a_year_is_set_up_from_the_command_line(world, db):
    err = io.StringIO()
    call_command("year", "open", "2017", "--due", "2017/2/28", stderr=err)
    assert ResponsibilityYear.objects_unscoped.get(year=2017).due_date.isoformat() == "2017-02-28"
    call_command("year", "rules", "2017", "--set", "household_helpers_min3=4", "--disable", "county_demonstration_min2",
                 stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("year", "rules", "2017", "--json", stdout=out)
    doc = json.loads(out.getvalue())
    rules = {r["code"]: r for r in doc["rules"]}
    assert doc["due_date"] == "2017-02-28" and doc["working"] is True
    assert rules["household_helpers_min3"]["threshold"] == 4 and rules["county_demonstration_min2"]["enabled"] is False
    assert RuleSetting.objects_unscoped.get(year__year=2017, code="household_helpers_min3").threshold == 4
    call_command("year", "open", "2018", stderr=io.StringIO())
    call_command("year", "working", "2017", stderr=io.StringIO())
    assert working_year() == 2017
    with pytest.raises(CommandError, match="规则代码无效"):
        call_command("year", "rules", "2017", "--disable", "no_such_rule", stdout=io.StringIO())
    with pytest.raises(CommandError, match="应写作"):
        call_command("year", "rules", "2017", "--set", "household_helpers_min3=三", stdout=io.StringIO())


def test_coverage_defaults_to_the_working_year(world, year_open):
    out = io.StringIO()
    call_command("coverage", "--json", stdout=out)
    assert json.loads(out.getvalue())["year"] == 2016


def test_a_year_is_set_up_through_the_api(world, db):
    from wuzaicun.testing.api import api_client

    city = api_client("city")
    opened = city.post("/api/responsibility/years", data=json.dumps({"year": 2017, "due_date": "2017-02-28"}),
                       content_type="application/json")
    assert opened.status_code == 201 and opened.json() == {"year": 2017, "due_date": "2017-02-28", "is_working": False}
    changed = city.patch("/api/responsibility/years/2017/rules/household_helpers_min3",
                         data=json.dumps({"enabled": True, "threshold": 4}), content_type="application/json")
    assert changed.status_code == 200 and changed.json()["threshold"] == 4
    rules = {r["code"]: r for r in city.get("/api/responsibility/years/2017/rules").json()}
    assert rules["household_helpers_min3"]["threshold"] == 4 and rules["village_bangcun"]["enabled"] is True
    assert city.post("/api/responsibility/years/2017/working").json()["is_working"] is True
    assert working_year() == 2017
    county = api_client("county_a")
    refused = county.post("/api/responsibility/years/2017/working")
    assert refused.status_code in (403, 404) and "message" in refused.json()
    assert city.get("/api/responsibility/years/2030/rules").status_code == 404
