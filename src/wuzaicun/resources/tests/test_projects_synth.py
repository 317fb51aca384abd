"""City-scale synthetic 整合项目 (regions only, no households): every source, money concentrated on poor villages,
a few projects not yet 落实到村, stages spread, exact amounts; a county run gives what the city run gives it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import new_context
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import generate_village_years, load_regions, load_village_facts
from wuzaicun.resources.models import FundSource, Project, ProjectEvidence, ProjectFunding
from wuzaicun.resources.selectors.projects import fund_totals
from wuzaicun.resources.synth.projects import generate_projects

COUNTY = "520302"


def _run(prefix: str | None = None) -> None:
    ctx = new_context(scale="city", seed=2016, year=2016, prefix=prefix)
    load_regions(ctx)
    if prefix:  # the city run wrote the year's 村情
        load_village_facts(ctx)
    else:
        generate_village_years(ctx)
    generate_projects(ctx)


def _county_rows() -> list[tuple[object, ...]]:
    return sorted(ProjectFunding.objects_unscoped.filter(project__region__code__within=COUNTY).values_list(
        "project__year", "project__region_id", "project__name", "project__stage", "source", "amount"))


@pytest.mark.django_db
def test_city_synth_concentrates_every_source_on_poor_villages() -> None:
    load_shipped_divisions(actor=None, prefix="5203")
    _run()
    totals = fund_totals(OPERATOR, year=2016)
    assert set(totals.total.by_source) == set(FundSource.values)
    assert totals.total.share is not None and totals.total.share > Decimal(70)
    this_year = Project.objects_unscoped.filter(year=2016)
    assert this_year.filter(village__isnull=True).exists()
    assert {s for s in this_year.values_list("stage", flat=True).distinct()} == {
        "approved", "implementing", "accepted", "completed"}
    assert not Project.objects_unscoped.filter(year=2015).exclude(stage="completed").exists()
    done = Project.objects_unscoped.filter(stage__in=("accepted", "completed")).count()
    assert ProjectEvidence.objects_unscoped.count() == done
    city = _county_rows()
    Project.objects_unscoped.all().delete()
    _run(prefix=COUNTY)
    assert _county_rows() == city and city
