"""一村一档: what 组织在村建强 holds about one village (insight reads it); one query a block, whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from wuzaicun.accounts.scope import scoped

from ..models.economy import CollectiveEntity, EntityIncome
from ..models.guarantees import Guarantee
from ..models.orgs import CommitteeDuty, CommitteeMember, PartyOrganisation, SupervisoryCommittee
from ..models.rectification import RectificationCase
from ..rules.economy import year_end


@dataclass
class CommitteeFile:
    committee: SupervisoryCommittee | None
    members: list[CommitteeMember] = field(default_factory=list)
    duties: list[CommitteeDuty] = field(default_factory=list)


def village_organisations(user: Any, code: str, *, year: int) -> list[PartyOrganisation]:
    """The village's party organisations existing at the year's end (or undated), with the secretary and the
    number of members (one query)."""
    end = year_end(year)
    rows = (scoped(PartyOrganisation, user).filter(region_id=code)
            .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
            .select_related("secretary").annotate(member_count=Count("memberships")).order_by("org_type", "name"))
    return list(rows)


def village_cases(user: Any, code: str) -> list[RectificationCase]:
    """The village's 倒排整顿 cases of every year, newest first (one query)."""
    return list(scoped(RectificationCase, user).filter(village_id=code).select_related("leader")
                .order_by("-year", "-id"))


def village_committee(user: Any, code: str, *, year: int) -> CommitteeFile:
    """The village's 村务监督委员会, its members and the year's duties (three queries, whether or not it exists)."""
    committee = scoped(SupervisoryCommittee, user).filter(village_id=code).first()
    members = list(scoped(CommitteeMember, user).filter(committee__village_id=code).select_related("person")
                   .order_by("post", "id"))
    duties = list(scoped(CommitteeDuty, user).filter(committee__village_id=code, year=year).order_by("id"))
    return CommitteeFile(committee, members, duties)


def village_guarantees(user: Any, code: str) -> list[Guarantee]:
    """The village's 组织保障 records of every year, newest first (one query): the year's row and 历年."""
    return list(scoped(Guarantee, user).filter(village_id=code).order_by("-year"))


def village_entities(user: Any, code: str, *, year: int) -> list[CollectiveEntity]:
    """The village's collective entities existing at the year's end, with the year's incomes (one query)."""
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
    rows = (scoped(CollectiveEntity, user).filter(village_id=code)
            .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=year_end(year)))
            .annotate(operating=Coalesce(Sum("incomes__operating_income", filter=Q(incomes__year=year)), zero),
                      collective=Coalesce(Sum("incomes__collective_income", filter=Q(incomes__year=year)), zero))
            .order_by("kind", "name"))
    return list(rows)


def village_income_years(user: Any, code: str) -> dict[int, Decimal]:
    """历年: {year: the village's collective income} (one query)."""
    rows = (scoped(EntityIncome, user).filter(entity__village_id=code).values("year")
            .annotate(total=Sum("collective_income")).values_list("year", "total").order_by("-year"))
    return {year: total or Decimal("0") for year, total in rows}
