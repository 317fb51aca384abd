"""`wuzaicun synth` and `wuzaicun demo --no-serve`: proportions, valid unique IDs, determinism, safe re-runs.

Most tests generate one county (红花岗区, `--prefix 520302`) of the city data set, which takes about a
second; the city-wide allocation of village facts is checked on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wuzaicun.accounts.models import User
from wuzaicun.audit.models import AuditEntry
from wuzaicun.core.identifiers import resident_id_problem, sex_from_resident_id
from wuzaicun.core.management.commands.demo import DEMO_PASSWORD, DEMO_USERS
from wuzaicun.core.synth import new_context, registered_steps
from wuzaicun.regions.models import Demonstration, Level, Region, VillageYear
from wuzaicun.regions.services import load_shipped_divisions
from wuzaicun.regions.synth import _cities, allocate_city, is_rural_village, load_regions
from wuzaicun.registry.models import Household, LeadershipTeam, Person, PoliticalStatus, Rank, Unit

COUNTY = "520302"  # 红花岗区


def synth(**options: Any) -> None:
    call_command("synth", **({"scale": "city", "seed": 2016, "year": 2016, "prefix": COUNTY} | options))


def village_codes(prefix: str = COUNTY) -> list[str]:
    return list(
        Region.objects_unscoped.filter(code__startswith=prefix, level=Level.VILLAGE).values_list("code", flat=True)
    )


def snapshot() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]], list[tuple[str, bool]]]:
    households = list(Household.objects_unscoped.order_by("id").values_list("region_id", "head_name",
                                                                           "resident_id_masked"))
    people = list(Person.objects_unscoped.order_by("id").values_list("region_id", "name", "resident_id_masked",
                                                                     "rank"))
    villages = list(VillageYear.objects_unscoped.order_by("village_id").values_list("village_id", "is_poor"))
    return households, people, villages


def test_each_app_registers_its_synth_steps() -> None:
    names = [step.name for step in registered_steps()]
    assert names[:6] == ["regions", "village_years", "households", "units", "people", "leadership_teams"]


@pytest.mark.django_db
def test_city_village_facts_match_zunyi_2016() -> None:
    """Given the shipped tree, the city allocation has 871 poor villages, 138 weak, 231 minority, the sites."""
    load_shipped_divisions(actor=None, prefix="5203")
    ctx = new_context(scale="city", seed=2016, year=2016)
    load_regions(ctx)
    [zunyi] = _cities(ctx)
    facts = allocate_city(ctx, zunyi, 871)

    assert len(facts.poor) == 871
    assert len(facts.weak) == 138
    assert len(facts.minority) == 231
    assert all(v in ctx.rural_villages for v in facts.poor | facts.minority)
    poor_by_county = Counter(v[:6] for v in facts.poor)
    assert len(poor_by_county) == 14
    minority_share = {c: sum(v[:6] == c for v in facts.minority) / len(ctx.villages_by_county[c.ljust(12, "0")])
                      for c in ("520325", "520326", "520328")}
    assert minority_share["520325"] > 2 * minority_share["520328"]
    assert minority_share["520326"] > 2 * minority_share["520328"]
    sites = Counter((v[:6], kind) for v, kind in facts.demonstration.items())
    provincial = sorted(c for (c, kind) in sites if kind == Demonstration.PROVINCIAL)
    assert provincial == ["520303", "520324", "520325"]
    for county in poor_by_county:
        assert sites[(county, Demonstration.CITY)] + sites[(county, Demonstration.COUNTY)] >= 2
    assert not set(facts.demonstration) & facts.weak
    exits = Counter(facts.row(v, 2016)[3] for v in facts.poor)
    assert 0 < exits[2016] < 871 // 4


@pytest.mark.django_db
def test_county_run_loads_regions_and_writes_the_county_data() -> None:
    synth()

    villages = village_codes()
    assert Region.objects_unscoped.filter(code__startswith="5203", level=Level.VILLAGE).count() == 2093
    assert VillageYear.objects_unscoped.count() == len(villages)  # only the county's villages, nothing outside
    poor = set(VillageYear.objects_unscoped.filter(is_poor=True).values_list("village_id", flat=True))
    names = dict(Region.objects_unscoped.filter(code__in=poor).values_list("code", "name"))
    assert poor and all(is_rural_village(name) for name in names.values())
    assert not VillageYear.objects_unscoped.filter(is_poor=False, exit_year__isnull=False).exists()

    levels = set(Household.objects_unscoped.values_list("region__level", flat=True))
    assert levels == {Level.VILLAGE}
    per_village = Counter(Household.objects_unscoped.values_list("region_id", flat=True))
    poor_average = sum(per_village[v] for v in poor) / len(poor)
    others = [v for v in villages if v not in poor and is_rural_village(Region.objects_unscoped.get(code=v).name)]
    other_average = sum(per_village[v] for v in others) / len(others)
    assert 75 <= poor_average <= 175
    assert poor_average > 2.5 * other_average
    statuses = Counter(Household.objects_unscoped.values_list("status", flat=True))
    assert statuses["未脱贫"] > statuses["已脱贫"] > 0
    assert not Household.objects_unscoped.filter(status="已脱贫", exit_year__isnull=True).exists()
    assert not Household.objects_unscoped.filter(status="未脱贫", exit_year__isnull=False).exists()
    assert set(Household.objects_unscoped.values_list("identified_year", flat=True)) == {2014, 2015}
    assert Counter(Household.objects_unscoped.values_list("cause", flat=True)).most_common(1)[0][0] == "因病"


@pytest.mark.django_db
def test_county_run_gives_every_village_its_cadres_and_party_members() -> None:
    synth()

    townships = Region.objects_unscoped.filter(code__startswith=COUNTY, level=Level.TOWNSHIP).count()
    villages = village_codes()
    rural = [v for v in villages if is_rural_village(Region.objects_unscoped.get(code=v).name)]
    ranks = Counter(Person.objects_unscoped.values_list("rank", flat=True))
    assert ranks[Rank.COUNTY_LEVEL] == 25
    assert ranks[Rank.TOWNSHIP_LEVEL] >= 8 * townships
    assert ranks[Rank.VILLAGE_CADRE] == 5 * len(villages)
    assert Person.objects_unscoped.filter(post="第一书记").count() == len(rural)
    assert ranks[Rank.CITY_LEADER] == 0  # the city is outside the prefix
    households = Counter(Household.objects_unscoped.values_list("region_id", flat=True))
    members = Counter(Person.objects_unscoped.filter(rank=Rank.RURAL_PARTY_MEMBER).values_list("region_id", flat=True))
    for village in villages:
        assert members[village] >= 5
        assert members[village] * 8 >= households[village]  # one per eight households: three helpers each
    party = Person.objects_unscoped.filter(political_status=PoliticalStatus.PARTY_MEMBER)
    assert party.count() > Person.objects_unscoped.count() / 2
    assert not party.filter(party_since__isnull=True).exists()
    assert not Person.objects_unscoped.filter(post="第一书记").exclude(political_status="中共党员").exists()
    assert Person.objects_unscoped.filter(post="第一书记", unit__isnull=True).count() == 0

    team = LeadershipTeam.objects_unscoped.get(region_id=f"{COUNTY}000000")
    assert team.name == "红花岗区党政领导班子"
    assert team.members.count() == 25
    assert Unit.objects_unscoped.filter(region_id=f"{COUNTY}000000", name="红花岗区人民政府").exists()


@pytest.mark.django_db
def test_resident_ids_are_valid_unique_and_stored_as_the_app_stores_them() -> None:
    synth()

    records: list[Household | Person] = [*Household.objects_unscoped.order_by("?")[:150],
                                         *Person.objects_unscoped.order_by("?")[:150]]
    for record in records:
        number = record.reveal_resident_id()
        assert resident_id_problem(number) is None
        assert number[:6] == COUNTY
        assert record.resident_id_masked == number[:6] + "********" + number[-4:]
    for person in Person.objects_unscoped.order_by("?")[:150]:
        assert person.sex == sex_from_resident_id(person.reveal_resident_id())
        if person.phone_masked:
            phone = person.reveal_phone()
            assert re.fullmatch(r"1[3-9]\d{9}", phone)
            assert person.phone_masked == phone[:3] + "****" + phone[-4:]
    digests = [*Household.objects_unscoped.values_list("resident_id_hash", flat=True),
               *Person.objects_unscoped.values_list("resident_id_hash", flat=True)]
    assert len(digests) == len(set(digests))


def clear_synthetic_data() -> None:
    from wuzaicun.cadres.models import CadreGrade, CadreOutcome, CadreScore
    from wuzaicun.organization.models.orgs import (
        CommitteeMember,
        EcommerceStation,
        Membership,
        PartyOrganisation,
        ServiceRecord,
        SocialOrganisation,
        SupervisoryCommittee,
    )
    from wuzaicun.responsibility.models import Assignment, LedgerLine, Reconciliation, Visit

    # Later apps' synthetic data first (it points at people and households).
    CadreOutcome.objects_unscoped.all().delete()
    CadreScore.objects_unscoped.all().delete()
    CadreGrade.objects_unscoped.all().delete()
    ServiceRecord.objects_unscoped.all().delete()
    Membership.objects_unscoped.all().delete()
    CommitteeMember.objects_unscoped.all().delete()
    SupervisoryCommittee.objects_unscoped.all().delete()
    PartyOrganisation.objects_unscoped.update(parent=None, secretary=None)
    PartyOrganisation.objects_unscoped.all().delete()
    SocialOrganisation.objects_unscoped.all().delete()
    EcommerceStation.objects_unscoped.all().delete()
    Reconciliation.objects_unscoped.all().delete()
    LedgerLine.objects_unscoped.all().delete()
    Visit.objects_unscoped.all().delete()
    Assignment.objects_unscoped.all().delete()
    LeadershipTeam.members.through.objects.all().delete()
    LeadershipTeam.objects_unscoped.all().delete()
    Person.objects_unscoped.all().delete()
    Unit.objects_unscoped.all().delete()
    Household.objects_unscoped.all().delete()
    VillageYear.objects_unscoped.all().delete()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    synth(seed=7)
    first = snapshot()
    clear_synthetic_data()

    synth(seed=7)
    assert snapshot() == first

    clear_synthetic_data()
    synth(seed=8)
    other = snapshot()
    assert other[0][:50] != first[0][:50]
    assert other[1][:50] != first[1][:50]


@pytest.mark.django_db
def test_a_second_run_for_the_same_year_is_refused_and_changes_nothing() -> None:
    synth()
    before = (Household.objects_unscoped.count(), Person.objects_unscoped.count(), VillageYear.objects_unscoped.count())

    with pytest.raises(CommandError, match="2016年度的村情数据已存在"):
        synth()

    assert (Household.objects_unscoped.count(), Person.objects_unscoped.count(),
            VillageYear.objects_unscoped.count()) == before
    assert AuditEntry.objects_unscoped.filter(object_type="synth").count() == 1


@pytest.mark.django_db
def test_another_year_adds_that_years_village_facts_and_reuses_households_and_people() -> None:
    synth()
    households, people = Household.objects_unscoped.count(), Person.objects_unscoped.count()

    synth(year=2017)

    years = Counter(VillageYear.objects_unscoped.values_list("year", flat=True))
    assert years[2016] == years[2017] == len(village_codes())
    assert (Household.objects_unscoped.count(), Person.objects_unscoped.count()) == (households, people)
    poor_2016 = set(VillageYear.objects_unscoped.filter(year=2016, is_poor=True).values_list("village_id", flat=True))
    poor_2017 = set(VillageYear.objects_unscoped.filter(year=2017, is_poor=True).values_list("village_id", flat=True))
    assert poor_2016 == poor_2017
    assert VillageYear.objects_unscoped.filter(year=2017, exit_year=2017).exists()


@pytest.mark.django_db
def test_each_run_leaves_one_audit_row() -> None:
    synth()

    [entry] = AuditEntry.objects_unscoped.filter(object_type="synth")
    assert entry.action == "import"
    assert entry.actor_name == "系统"
    assert entry.region_code == f"{COUNTY}000000"
    assert "registry_household" in entry.summary


@pytest.mark.django_db
def test_a_prefix_outside_the_scale_is_refused() -> None:
    with pytest.raises(CommandError, match="区划前缀"):
        synth(prefix="5201")


@pytest.mark.django_db
def test_demo_without_serving_creates_one_user_per_role_and_can_run_twice() -> None:
    call_command("demo", no_serve=True, synth_prefix=COUNTY)

    users = {u.username: u for u in User.objects_unscoped.select_related("scope")}
    assert sorted(users) == sorted(name for name, _, _ in DEMO_USERS)
    assert {u.role for u in users.values()} == {role for _, role, _ in DEMO_USERS}
    village = users["demo_village"].scope
    assert village is not None
    assert village.level == Level.VILLAGE
    assert VillageYear.objects_unscoped.get(village=village, year=2016).is_poor
    assert users["demo_township"].scope_id == village.parent_id
    assert users["demo_county"].scope_id == "520302000000"
    assert users["demo_city"].check_password(DEMO_PASSWORD)
    assert not users["demo_city"].must_change_password
    households = Household.objects_unscoped.count()

    call_command("demo", no_serve=True, synth_prefix=COUNTY)

    assert User.objects_unscoped.count() == len(DEMO_USERS)
    assert Household.objects_unscoped.count() == households
    assert AuditEntry.objects_unscoped.filter(object_type="synth").count() == 1


@pytest.mark.django_db
def test_demo_refuses_a_database_with_other_users(world: Any) -> None:
    with pytest.raises(CommandError, match="已有其他用户"):
        call_command("demo", no_serve=True, synth_prefix=COUNTY)
    assert not User.objects_unscoped.filter(username__startswith="demo_").exists()
