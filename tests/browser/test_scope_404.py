"""A household outside the user's county answers the same 404 page as a missing one."""

import pytest
from playwright.sync_api import expect

from wuzaicun.testing.world import county_b_household

pytestmark = pytest.mark.browser


def test_county_a_user_gets_404_for_a_county_b_household(live_world, live_server, log_in):
    other = county_b_household(live_world)
    page = log_in("county_a")

    response = page.goto(f"{live_server.url}/registry/households/{other.pk}/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("不存在或无权访问")
    expect(page.get_by_text(other.head_name)).to_have_count(0)
    assert other.resident_id_masked not in page.content()
