"""Division codes: levels, prefixes, parents."""

import pytest

from wuzaicun.regions.codes import ancestor_codes, code_from_prefix, level_of, parent_code, prefix_of


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("520000000000", 1, "52", None),
        ("520300000000", 2, "5203", "520000000000"),
        ("520302000000", 3, "520302", "520300000000"),
        ("520302001000", 4, "520302001", "520302000000"),
        ("520302001001", 5, "520302001001", "520302001000"),
    ],
)
def test_levels_prefixes_and_parents(code, level, prefix, parent):
    assert level_of(code) == level and prefix_of(code) == prefix and parent_code(code) == parent


def test_ancestors_run_from_the_province_down():
    assert ancestor_codes("520302001001") == ["520000000000", "520300000000", "520302000000", "520302001000"]


@pytest.mark.parametrize(("prefix", "code"), [("52", "520000000000"), ("5203", "520300000000"), ("520302001", "520302001000")])
def test_a_prefix_expands_to_its_code(prefix, code):
    assert code_from_prefix(prefix) == code


@pytest.mark.parametrize("bad", ["520", "5203x", "52030200100"])
def test_a_bad_prefix_is_refused(bad):
    with pytest.raises(ValueError):
        code_from_prefix(bad)


def test_the_shipped_tree_loads_with_zunyi_in_it(db):
    from wuzaicun.core.operator import OPERATOR
    from wuzaicun.regions.models import Region
    from wuzaicun.regions.services import load_shipped_divisions

    load_shipped_divisions(actor=OPERATOR, prefix="5203")
    zunyi = Region.objects_unscoped.filter(code__startswith="5203")
    assert zunyi.filter(level=3).count() == 14
    assert zunyi.filter(level=4).count() == 254
    assert zunyi.filter(level=5).count() == 2093
    assert Region.objects_unscoped.get(code="520000000000").name == "贵州省"
    assert not Region.objects_unscoped.filter(code__startswith="5201").exists()
