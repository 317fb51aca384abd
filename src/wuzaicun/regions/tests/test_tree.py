"""The region tree beside list pages: the user's scope only, children loaded on demand, `?region=` kept."""

from wuzaicun.regions.selectors import region_tree


def _names(node):
    out = [node.region.name]
    for child in node.children or []:
        out += _names(child)
    return out


def test_the_tree_starts_at_the_users_scope_and_opens_down_to_the_chosen_region(world):
    tree = region_tree(world.users["county_a"], "520302001001")
    assert tree.region.name == "红花岗区"
    assert _names(tree) == ["红花岗区", "老城街道", "甲村", "乙村"]
    assert tree_closed_children(region_tree(world.users["county_a"]))
    city = region_tree(world.users["city"])
    assert [c.region.name for c in city.children] == ["红花岗区", "汇川区"]


def tree_closed_children(tree):
    return [c.children for c in tree.children] == [None]


def test_a_region_outside_scope_opens_nothing_there(world):
    tree = region_tree(world.users["county_a"], "520303100201")
    assert "丙村" not in _names(tree) and "高坪镇" not in _names(tree)


def test_children_load_within_scope_and_answer_404_beyond(world, client_for):
    client = client_for("county_a")
    nodes = client.get("/regions/tree/520302001000/", headers={"HX-Request": "true"})
    assert nodes.status_code == 200 and "甲村" in nodes.text and "<html" not in nodes.text
    assert "Vary" in nodes.headers and "HX-Request" in nodes.headers["Vary"]
    assert client.get("/regions/tree/520303000000/", headers={"HX-Request": "true"}).status_code == 404
    assert client.get("/regions/tree/520302001000/").text.count("<html") == 1  # a page without htmx


def test_list_pages_show_the_tree_and_still_filter_by_region(world, client_for):
    client = client_for("county_a")
    for url in ["/registry/people/", "/registry/households/", "/regions/villages/"]:
        page = client.get(url, {"region": "520302001002"})
        assert page.status_code == 200, url
        assert 'id="region-tree"' in page.text and 'data-region="520302001002"' in page.text, url
        assert 'placeholder="区划代码"' not in page.text, url
    people = client.get("/registry/people/", {"region": "520302001002"}).text
    assert "乙村党员0" in people and "甲村党员0" not in people
    assert "汇川区" not in client.get("/registry/people/").text
