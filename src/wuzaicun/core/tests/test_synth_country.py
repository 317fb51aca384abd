"""`wuzaicun synth --scale country`: the synthetic national tree, one county of it, streaming, re-runs."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.identifiers import resident_id_problem
from wuzaicun.core.synth import COUNTRY_PROVINCES, new_context
from wuzaicun.regions.codes import is_code, level_of, parent_code
from wuzaicun.regions.models import Level, Region, VillageYear
from wuzaicun.regions.national import GUIZHOU, PROVINCES, national_poor_targets, synthetic_province
from wuzaicun.regions.synth import is_rural_village
from wuzaicun.registry.models import Household, Person

COUNTY = "640101"  # the first district of 宁夏回族自治区's synthetic tree (the smallest province with poor villages)
CHINESE = re.compile(r"^[\u4e00-\u9fff]{2,}$")
SUFFIXES = {
    Level.PROVINCE: ("省", "市", "自治区"),
    Level.CITY: ("市", "自治州", "市辖区"),
    Level.COUNTY: ("区", "县", "市", "自治县"),
    Level.TOWNSHIP: ("街道", "镇", "乡"),
    Level.VILLAGE: ("社区居民委员会", "村村民委员会"),
}


def synth_country(**options: Any) -> None:
    call_command("synth", **({"scale": "country", "seed": 2016, "year": 2016, "prefix": COUNTY} | options))


def test_each_province_gets_the_quotas_of_its_size_and_other_runs_keep_theirs() -> None:
    """A province quota is Guizhou's figure: 宁夏 (1,139 poor villages against Guizhou's 9,000) gets its share of
    it, 山东 a larger one, Guizhou and the city and province runs the figure itself."""
    targets = national_poor_targets()
    ningxia = new_context(scale="country", seed=1, year=2016, prefix="64")
    shandong = new_context(scale="country", seed=1, year=2016, prefix="3701")
    assert ningxia.quota(2_957_000) == round(2_957_000 * targets["64"] / 9_000) < shandong.quota(2_957_000) < 2_957_000
    assert new_context(scale="country", seed=1, year=2016, prefix="52").quota(2_957_000) == 2_957_000
    assert new_context(scale="province", seed=1, year=2016).quota(2_957_000) == 2_957_000
    assert new_context(scale="city", seed=1, year=2016).quota(295_700) == 295_700


def test_the_country_scale_covers_the_31_provinces_with_130000_poor_villages_and_guizhou_keeps_9000() -> None:
    targets = national_poor_targets()
    assert sorted(targets) == sorted(COUNTRY_PROVINCES) == sorted([*PROVINCES, GUIZHOU])
    assert sum(targets.values()) == 130_000
    assert targets[GUIZHOU] == 9_000
    assert PROVINCES["65"].name == "新疆维吾尔自治区" and PROVINCES["11"].name == "北京市"
    for code, size in PROVINCES.items():  # every province has room for its poor villages among its 村
        assert targets[code] < size.villages * (1 - size.community_share) * 0.9, code


@pytest.mark.parametrize("province", ["11", "64"])
def test_a_synthetic_province_has_valid_unique_codes_under_their_parents_and_chinese_names(province: str) -> None:
    rows = list(synthetic_province(province))
    codes = [code for code, _ in rows]
    assert len(codes) == len(set(codes))
    seen: set[str] = set()
    for code, name in rows:
        assert is_code(code) and code.startswith(province)
        parent = parent_code(code)
        assert parent is None or parent in seen, code  # parents first: the tree loads in one pass
        seen.add(code)
        assert CHINESE.match(name), name
        assert name.endswith(SUFFIXES[Level(level_of(code))]), (code, name)
    assert list(synthetic_province(province)) == rows  # the same tree every time
    villages = [name for code, name in rows if level_of(code) == Level.VILLAGE]
    assert len(villages) == PROVINCES[province].villages
    assert 0.4 < sum(is_rural_village(n) for n in villages) / len(villages) < 0.95
    by_township = Counter(code[:9] for code, _ in rows if level_of(code) == Level.VILLAGE)
    assert max(by_township.values()) <= 20  # about 16 per township, as the national averages go


def test_a_country_prefix_must_name_a_province_of_the_country() -> None:
    assert new_context(scale="country", seed=1, year=2016, prefix="6401").universe == "64"
    with pytest.raises(Exception, match="省（2位）"):
        new_context(scale="country", seed=1, year=2016, prefix="71")  # 台湾省 is not generated


@pytest.mark.django_db
def test_one_synthetic_county_is_generated_streamed_and_a_rerun_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from wuzaicun.tabular import bulk

    batches: dict[str, list[bool]] = {}
    real_insert = bulk.insert_rows

    def watching(table: str, columns: Any, rows: Any) -> int:
        batches.setdefault(table, []).append(isinstance(rows, list | tuple))
        return real_insert(table, columns, rows)

    monkeypatch.setattr(bulk, "insert_rows", watching)
    synth_country()

    # the province's synthetic tree is loaded, the county's data written, nothing outside it
    assert Region.objects_unscoped.get(code="640000000000").name == "宁夏回族自治区"
    assert Region.objects_unscoped.filter(code__startswith="64", level=Level.VILLAGE).count() == 2_900
    villages = VillageYear.objects_unscoped.filter(year=2016)
    assert villages.count() == Region.objects_unscoped.filter(code__startswith=COUNTY, level=Level.VILLAGE).count()
    assert villages.filter(is_poor=True).exists()
    households = Household.objects_unscoped.all()
    assert households.count() > 1_000
    assert not households.exclude(region__code__startswith=COUNTY).exists()
    assert not Person.objects_unscoped.exclude(region__code__startswith="6401").exists()

    # households reach the insert as a stream, never as one list
    assert batches["registry_household"] and not any(batches["registry_household"])

    # resident IDs: unique by construction (area, then a sequence range per kind), valid, the county's own area
    from wuzaicun.registry.fields import open_resident_id

    numbers = [open_resident_id(sealed) for sealed in households.values_list("resident_id_sealed", flat=True)]
    numbers += [open_resident_id(sealed) for sealed in Person.objects_unscoped.values_list("resident_id_sealed",
                                                                                            flat=True)]
    assert len(numbers) == len(set(numbers))
    assert all(resident_id_problem(n) is None for n in numbers)
    assert all(n.startswith("6401") for n in numbers)
    assert all(n.startswith(COUNTY) for n in numbers[: households.count()])

    # one audit row for the province's run, and a second run is refused without writing anything
    assert AuditEntry.objects_unscoped.filter(object_type="synth", object_id="country:640101:2016:2016").count() == 1
    count = households.count()
    with pytest.raises(CommandError, match="均已存在"):
        synth_country()
    assert households.count() == count
