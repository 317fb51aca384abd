"""一村一档 and 一户一档: each block against hand-built data (`data.populate`: county A with one of each record,
county B with two), the year selector, scope both ways, the 明白卡's masking for every role, the query bound."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wuzaicun.registry.models import Household, Person
from wuzaicun.resources.models import Dividend, DividendPart, Project, ProjectBeneficiary
from wuzaicun.responsibility.models import Assignment, AssignmentHousehold, LedgerLine, Visit
from wuzaicun.testing import factories
from wuzaicun.testing.world import World
from wuzaicun.verification.models import SpotCheckPick, SpotCheckPlan

from .data import COUNTIES, YEAR, populate

A_VILLAGE, A_OTHER = COUNTIES["a"][2], COUNTIES["a"][3]  # 甲村 (poor, populated), 乙村
B_VILLAGE = COUNTIES["b"][2]  # 丙村
Clients = Callable[[str], Client]


@pytest.fixture
def populated(world: World) -> World:
    populate(world, "a", 1)
    populate(world, "b", 2)
    return world


def text(html: bytes | str) -> str:
    """What a reader sees: tags dropped, spaces collapsed."""
    body = html.decode() if isinstance(html, bytes) else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def block(html: bytes, element_id: str) -> str:
    """The text of one block of the page: the element with that id, to the first closing tag of its kind (the
    blocks hold no element of their own kind)."""
    body = html.decode()
    start = body.rindex("<", 0, body.index(f'id="{element_id}"'))
    tag = re.match(r"<(\w+)", body[start:])
    assert tag is not None
    return text(body[start:body.index(f"</{tag.group(1)}>", start)])


def village_page(client: Client, code: str = A_VILLAGE, **params: Any) -> Any:
    query = "&".join(f"{k}={v}" for k, v in ({"year": YEAR} | params).items())
    return client.get(f"/insight/villages/{code}/?{query}")


# --- 一村一档: each block -----------------------------------------------------------------------------------

def test_the_village_file_shows_its_flags_over_the_years(populated: World, client_for: Clients) -> None:
    page = village_page(client_for("county_a"))
    assert page.status_code == 200
    heading = text(page.content)
    assert "一村一档：甲村" in heading and "贫困村" in heading and "软弱涣散村" in heading and "2016年出列" in heading
    flags = block(page.content, "flags")
    assert "2016年 是 2016 是 是 省级" in flags


def test_the_responsibility_block_counts_the_lists_and_the_ledger(populated: World, client_for: Clients) -> None:
    entry = Assignment.objects_unscoped.filter(village_id=A_VILLAGE, year=YEAR, kind="helper").get()
    LedgerLine.objects_unscoped.create(assignment=entry, year=YEAR, commitment="修路", status="locked")
    LedgerLine.objects_unscoped.create(assignment=entry, year=YEAR, commitment="种茶", status="unfulfilled",
                                       accountability=True)
    page = village_page(client_for("county_a"))
    lists = block(page.content, "block-lists")
    assert "共 5 条" in text(page.content)
    for label in ("帮村 1 a干部0", "联村 1", "驻村 1", "助村 1", "带村 1"):
        assert label in lists
    ledger = block(page.content, "block-ledger")
    assert "台账条目 2" in ledger and "已定账 1" in ledger and "已销账（未兑现） 1" in ledger and "列入问责 1" in ledger
    assert "2016年 5 条" in block(page.content, "responsibility")


def test_the_organisation_block(populated: World, client_for: Clients) -> None:
    page = village_page(client_for("county_a"))
    organisation = block(page.content, "organization")
    assert "甲村党支部 党支部" in organisation
    assert "2016年 已转化" in organisation and "2015年 整顿中" in organisation  # cases over the years
    assert "成立日期：2016-01-01" in organisation
    assert "村干部月报酬 1,999.00 元" in organisation and "党员群众之家面积 301.00 平方米" in organisation
    assert "a合作社0 专业合作社" in organisation and "a股份公司 股份合作公司" in organisation
    assert "历年集体收入：2016年 2,001.00 元" in organisation
    assert "b合作社" not in organisation


def test_the_cadres_block_follows_the_year(populated: World, client_for: Clients) -> None:
    client = client_for("county_a")
    cadres = block(village_page(client).content, "cadres")
    assert "a干部0 第一书记" in cadres and "a干部1 驻村干部" in cadres
    assert "红花岗区农业局 a干部1 2016-01-01 在岗" in cadres  # the working group
    assert "a领办0 领办 a干部0" in cadres and "a带动00 带动" in cadres
    assert "a干部0（农业）" in cadres
    dispatches = block(village_page(client).content, "block-dispatches")
    assert "a干部2" not in dispatches  # in post in 2015 only
    earlier = block(village_page(client, year=YEAR - 1).content, "block-dispatches")
    assert "a干部2 驻村干部" in earlier and "a干部0" not in earlier


def test_the_resources_block(populated: World, client_for: Clients) -> None:
    household = populated.households[A_VILLAGE][0]
    project = Project.objects_unscoped.get(name="a项目0")
    ProjectBeneficiary.objects_unscoped.create(project=project, household=household)
    resources = block(village_page(client_for("county_a")).content, "resources")
    assert "a项目0 立项 2016-01-01 10,000.00 1" in resources  # funds not multiplied by the beneficiaries
    assert "a非贫困村项目" not in resources  # 乙村's
    assert "a十户一体0 a干部0 1" in resources
    assert "土地入股 10.50 亩" in resources and "集体物业入股 1 间" in resources and "入股农户 1 户" in resources
    assert "支部结对：a园区党支部0（2015年起）" in resources and "干群结亲：1 对" in resources
    assert "2016年帮扶：2 次：" in resources and "慰问金（资金，100.00 元）" in resources
    assert "a企业 1,000.00 500.25" in resources
    assert "a决策0 捐赠资金 2,000.00 1,500.00 已完成" in resources


def test_spot_checks_show_only_closed_plans_and_assessments_every_year(populated: World, client_for: Clients) -> None:
    closed = SpotCheckPlan.objects_unscoped.get(region_id=COUNTIES["a"][0], status="closed")
    helper_entry = Assignment.objects_unscoped.get(village_id=A_VILLAGE, year=YEAR, kind="helper")
    SpotCheckPick.objects_unscoped.create(plan=closed, assignment=helper_entry, village_id=A_VILLAGE, stratum="x")  # no finding yet
    for username in ("county_a", "city", "sysadmin", "inspector_a", "reporter_a", "leader_a"):
        verification = block(village_page(client_for(username)).content, "verification")
        assert "2016年第1季度 2 0 0 1 帮村清单：a干部0 1" in verification, username
        assert "第2季度" not in verification and "带村清单" not in verification, username  # the open plan's pick
    assert "2016年 95.00 1 优" in block(village_page(client_for("county_a")).content, "block-assessments")


def test_the_household_list_pages_and_searches_and_links_to_each_household(populated: World,
                                                                           client_for: Clients) -> None:
    client = client_for("county_a")
    households = populated.households[A_VILLAGE]
    page = village_page(client)
    listing = block(page.content, "households")
    assert "共 3 条" in listing
    for household in households:
        assert f'href="/insight/households/{household.pk}/?year={YEAR}"' in page.content.decode()
    found = client.get(f"/insight/villages/{A_VILLAGE}/", {"year": YEAR, "q": "户主1"}, headers={"HX-Request": "true"})
    assert found.status_code == 200 and "<html" not in found.content.decode()
    assert "甲村户主1" in text(found.content) and "甲村户主0" not in text(found.content)
    assert "共 1 条" in text(found.content) and "乙村" not in text(found.content)


# --- scope --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "mine", "theirs"), [
    ("county_a", A_VILLAGE, B_VILLAGE),
    ("county_b", B_VILLAGE, A_VILLAGE),
    ("reporter_a", A_VILLAGE, A_OTHER),  # a village user sees their village only
])
def test_a_village_or_household_outside_scope_is_not_found(populated: World, client_for: Clients, username: str,
                                                           mine: str, theirs: str) -> None:
    client = client_for(username)
    assert village_page(client, mine).status_code == 200
    assert village_page(client, theirs).status_code == 404
    own, other = populated.households[mine][0], populated.households[theirs][0]
    for suffix in ("", "card/"):
        assert client.get(f"/insight/households/{own.pk}/{suffix}").status_code == 200
        assert client.get(f"/insight/households/{other.pk}/{suffix}").status_code == 404


def test_a_code_that_is_not_a_village_is_not_found(populated: World, client_for: Clients) -> None:
    client = client_for("city")
    for code in ("520302001000", "520302000000", "520302001999", "abc"):
        assert village_page(client, code).status_code == 404
    assert client.get("/insight/households/999999/").status_code == 404


def test_the_village_file_shows_nothing_of_another_county(populated: World, client_for: Clients) -> None:
    """B's records in B's village, never in A's file (and the reverse)."""
    a_page = text(village_page(client_for("county_a")).content)
    b_page = text(village_page(client_for("county_b"), B_VILLAGE).content)
    assert "a干部0" in a_page and "b干部" not in a_page and "b项目" not in a_page and "b决策" not in a_page
    assert "b干部0" in b_page and "a干部" not in b_page and "a项目" not in b_page and "a决策" not in b_page


# --- 一户一档 and 明白卡 --------------------------------------------------------------------------------------

@pytest.fixture
def household_file(populated: World) -> Household:
    """甲村户主0's file: a 干群结亲 cadre in force and one whose pairing ended, a 助村 entry naming the household,
    a visit, a project, a 十户一体 group, a land share and a dividend."""
    household = populated.households[A_VILLAGE][0]
    helper = factories.person(populated.regions[A_VILLAGE], name="王助村", phone_sealed=b"", phone_masked="138****1234")
    entry = Assignment.objects_unscoped.create(year=YEAR, kind="helper", village_id=A_VILLAGE, person=helper)
    AssignmentHousehold.objects_unscoped.create(assignment=entry, household=household)
    Visit.objects_unscoped.create(person=helper, household=household, visited_on=dt.date(YEAR, 3, 5),
                                  activity="宣讲扶贫政策")
    ProjectBeneficiary.objects_unscoped.create(project=Project.objects_unscoped.get(name="a项目0"), household=household)
    dividend = Dividend.objects_unscoped.create(entity=_company(), year=YEAR, total=Decimal(300),
                                                total_shares=Decimal(15), holders=2)
    DividendPart.objects_unscoped.create(dividend=dividend, household=household, shares=Decimal(10),
                                         amount=Decimal("200.00"))
    return household


def _company() -> Any:
    from wuzaicun.organization.models import CollectiveEntity

    return CollectiveEntity.objects_unscoped.get(name="a股份公司")


def test_the_household_file_gathers_its_helpers_visits_projects_group_and_shares(household_file: Household,
                                                                                 client_for: Clients) -> None:
    page = client_for("county_a").get(f"/insight/households/{household_file.pk}/?year={YEAR}")
    assert page.status_code == 200
    assert "一户一档：甲村户主0户" in text(page.content)
    helpers = block(page.content, "helpers")
    assert "a干部0 干群结亲 2016年起" in helpers
    assert "a干部1 干群结亲 2014年至2015年（已结束）" in helpers
    assert "王助村 助村清单 2016年 138****1234" in helpers
    assert "2016-03-05 王助村 宣讲扶贫政策" in block(page.content, "visits")
    assert "a项目0 2016年 立项" in block(page.content, "projects")
    assert "a十户一体0 （党群连心户户长：a干部0，共 1 户）" in block(page.content, "group")
    shares = block(page.content, "shares")
    assert "a股份公司 土地 10.00 2016-01-01" in shares and "2016年 a股份公司 200.00" in shares
    body = page.content.decode()
    assert f'href="/insight/households/{household_file.pk}/card/?year={YEAR}"' in body and "打印明白卡" in body
    assert f'href="/registry/households/{household_file.pk}/"' in body


def test_the_registry_page_and_the_village_list_link_to_the_files(populated: World, client_for: Clients) -> None:
    client = client_for("county_a")
    household = populated.households[A_VILLAGE][0]
    detail = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert f'href="/insight/households/{household.pk}/"' in detail and "一户一档" in detail
    villages = client.get(f"/regions/villages/?year={YEAR}").content.decode()
    assert f'href="/insight/villages/{A_VILLAGE}/?year={YEAR}"' in villages
    assert f'/insight/villages/{B_VILLAGE}/' not in villages


def test_the_card_uses_the_public_profile_and_lists_the_helpers_in_force(household_file: Household,
                                                                         client_for: Clients) -> None:
    card = client_for("county_a").get(f"/insight/households/{household_file.pk}/card/?year={YEAR}")
    body = card.content.decode()
    number = household_file.reveal_resident_id()
    assert f"{number[:2]}{'*' * 13}{number[-3:]}" in body  # first two and last three
    assert household_file.resident_id_masked not in body  # not even the internal profile
    assert "甲村户主0" in body and "老城街道" in body and "甲村" not in text(body).replace("甲村户主0", "")
    assert "王助村 助村清单 138****1234" in text(body) and "a干部0 干群结亲" in text(body)
    assert "a干部1" not in body  # a pairing that ended before the year
    assert "insight/card.css" in body


def test_no_full_resident_id_on_the_files_for_any_role(household_file: Household, populated: World,
                                                       client_for: Clients) -> None:
    numbers = [h.reveal_resident_id() for h in Household.objects_unscoped.all()]
    numbers += [p.reveal_resident_id() for p in Person.objects_unscoped.all()]
    pages = [f"/insight/households/{household_file.pk}/", f"/insight/households/{household_file.pk}/card/",
             f"/insight/villages/{A_VILLAGE}/"]
    seen = 0
    for username in populated.users:
        client = client_for(username)
        for url in pages:
            response = client.get(url, {"year": YEAR})
            seen += response.status_code == 200
            assert not any(number in response.content.decode() for number in numbers), (username, url)
    assert seen >= 3 * 6  # the business roles of county A (and above) did see the pages


# --- a fixed number of queries ------------------------------------------------------------------------------

def _grow(world: World, code: str, extra: int) -> None:
    """More of everything in the village: households, entries, ledger lines."""
    region = world.regions[code]
    for i in range(extra):
        factories.household(region, head_name=f"加户{i}")
        person = factories.person(region, name=f"加人{i}")
        entry = Assignment.objects_unscoped.create(year=YEAR, kind="helper", village=region, person=person)
        LedgerLine.objects_unscoped.create(assignment=entry, year=YEAR, commitment="加项")


def test_the_village_file_takes_a_fixed_number_of_queries(populated: World, client_for: Clients,
                                                          django_assert_max_num_queries: Any) -> None:
    client = client_for("county_a")
    village_page(client)  # warm the session and the working year
    with CaptureQueriesContext(connection) as small:
        assert village_page(client).status_code == 200
    _grow(populated, A_VILLAGE, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert village_page(client).status_code == 200
    with django_assert_max_num_queries(45):
        village_page(client)
