"""一村一档 and 一户一档: what 资源在村整合 holds about one village or household (insight reads it); one query a
block, whatever the village's size."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from wuzaicun.accounts.scope import scoped
from wuzaicun.organization.rules.economy import year_end

from ..models.decisions import FundDecision
from ..models.groups import GroupMember, TenHouseholdGroup
from ..models.pairings import BranchPairing, EnterpriseHelp, KinPairing, PairingSupport
from ..models.projects import Project, ProjectBeneficiary
from ..models.shares import Contribution, ContributionKind, Dividend, DividendPart
from .pairings import _active


def _zero() -> Value:
    return Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))


def village_projects(user: Any, code: str, *, year: int) -> list[Project]:
    """The year's integrated projects implemented in the village, with their funds and beneficiaries (one query)."""
    rows = (scoped(Project, user).filter(village_id=code, year=year)
            .annotate(funds=Coalesce(Sum("fundings__amount"), _zero()),
                      beneficiary_count=Coalesce(Subquery(  # a subquery: a second join would multiply the funds
                          scoped(ProjectBeneficiary, user).filter(project=OuterRef("pk")).values("project")
                          .annotate(n=Count("id")).values("n")), 0))
            .order_by("approved_on", "id"))
    return list(rows)


def village_project_years(user: Any, code: str) -> dict[int, int]:
    """历年: {year: projects implemented in the village} (one query)."""
    rows = (scoped(Project, user).filter(village_id=code).values("year").annotate(n=Count("id"))
            .values_list("year", "n").order_by("-year"))
    return dict(rows)


def village_groups(user: Any, code: str) -> list[TenHouseholdGroup]:
    """The village's 十户一体 groups as they stand, with head and member count (one query)."""
    return list(scoped(TenHouseholdGroup, user).filter(village_id=code).select_related("head")
                .annotate(member_count=Count("members")).order_by("name", "id"))


@dataclass(frozen=True)
class ShareFigures:
    land_mu: Decimal
    properties: int
    money: Decimal
    households: int
    dividends: Decimal


def village_shares(user: Any, code: str, *, year: int) -> ShareFigures:
    """三变 in the village: land, properties and money put in by the year's end, shareholder households, and the
    year's dividends (two queries)."""
    put_in = scoped(Contribution, user).filter(entity__village_id=code, contributed_on__lte=year_end(year)).aggregate(
        land=Coalesce(Sum("land_mu", filter=Q(kind=ContributionKind.LAND)), _zero()),
        properties=Count("id", filter=Q(kind=ContributionKind.PROPERTY)),
        money=Coalesce(Sum("amount", filter=Q(kind=ContributionKind.MONEY)), _zero()),
        households=Count("household", distinct=True))
    paid = scoped(Dividend, user).filter(entity__village_id=code, year=year).aggregate(total=Coalesce(Sum("total"), _zero()))
    return ShareFigures(put_in["land"], put_in["properties"], put_in["money"], put_in["households"], paid["total"])


@dataclass(frozen=True)
class PairingFigures:
    branches: list[BranchPairing]
    kin_pairs: int
    supports: list[PairingSupport]


def village_pairings(user: Any, code: str, *, year: int) -> PairingFigures:
    """支部结对 of the village's organisations and 干群结亲 pairs with its households in force in the year, and the
    year's supports (three queries)."""
    branches = list(scoped(BranchPairing, user).filter(_active(year), helped__region_id=code)
                    .select_related("helper", "helped").order_by("since", "id"))
    kin = scoped(KinPairing, user).filter(_active(year), village_id=code).count()
    supports = list(scoped(PairingSupport, user).filter(village_id=code, year=year).order_by("kind", "id"))
    return PairingFigures(branches, kin, supports)


def village_enterprise_helps(user: Any, code: str, *, year: int) -> list[EnterpriseHelp]:
    """The year's help of non-public enterprises to the village (one query)."""
    return list(scoped(EnterpriseHelp, user).filter(village_id=code, year=year).select_related("enterprise")
                .order_by("-paid", "id"))


def village_decisions(user: Any, code: str, *, year: int) -> list[FundDecision]:
    """The year's fund-use decisions of the village (一事一议, 四议两公开), with what was paid (one query)."""
    return list(scoped(FundDecision, user).filter(village_id=code, year=year)
                .annotate(paid=Coalesce(Sum("payments__amount"), _zero())).order_by("id"))


# --- 一户一档 ----------------------------------------------------------------------------------------------

def household_kin(user: Any, household_id: int) -> list[KinPairing]:
    """The household's 干群结亲 cadres, every year, current first (one query)."""
    return list(scoped(KinPairing, user).filter(household_id=household_id).select_related("person")
                .order_by("until", "-since", "id"))


def household_projects(user: Any, household_id: int) -> list[Project]:
    """Projects that list the household among their beneficiaries, newest first (one query)."""
    ids = scoped(ProjectBeneficiary, user).filter(household_id=household_id).values("project_id")
    return list(scoped(Project, user).filter(pk__in=ids).order_by("-year", "id"))


def household_group(user: Any, household_id: int) -> GroupMember | None:
    """The household's 十户一体 group (at most one), with its head (one query)."""
    return (scoped(GroupMember, user).filter(household_id=household_id)
            .select_related("group__head").annotate(size=Count("group__members")).first())


def household_contributions(user: Any, household_id: int) -> list[Contribution]:
    """What the household put into 三变 entities (one query)."""
    return list(scoped(Contribution, user).filter(household_id=household_id).select_related("entity")
                .order_by("contributed_on", "id"))


def household_dividends(user: Any, household_id: int) -> list[DividendPart]:
    """The household's dividends, newest first (one query)."""
    return list(scoped(DividendPart, user).filter(household_id=household_id).select_related("dividend__entity")
                .order_by("-dividend__year", "id"))
