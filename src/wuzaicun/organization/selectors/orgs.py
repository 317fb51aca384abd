"""Reads of the orgs area, scoped to the user: organisations and their tree, members, supervisory committees
(and the villages without one), social organisations, e-commerce stations and their services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.core.pickers import RESULT_LIMIT, Choice, labels_of
from wuzaicun.regions.models import Level, Region

from ..models.orgs import (
    NEW_CATEGORIES,
    CommitteeDuty,
    CommitteeMember,
    EcommerceStation,
    Membership,
    OrgCategory,
    PartyOrganisation,
    ServiceKind,
    ServiceRecord,
    SocialOrganisation,
    SupervisoryCommittee,
)


def _count_of(queryset: QuerySet[Any], key: str, *, distinct: str = "") -> Coalesce:
    """A correlated count of `queryset`'s rows whose `key` is the outer row: computed for the rows of the page
    only (a GROUP BY over every join took a second at city scale before the page was cut)."""
    counted = Count(distinct, distinct=True) if distinct else Count("*")
    rows = queryset.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=counted).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _name_filter(queryset: QuerySet[Any], q: str, field_name: str = "name") -> QuerySet[Any]:
    return queryset.filter(**{f"{field_name}__icontains": q.strip()}) if q.strip() else queryset


# --- party organisations ----------------------------------------------------------------------------------

def organisations_for(user: Any, *, q: str = "", category: str = "", org_type: str = "",
                      region: str = "") -> QuerySet[PartyOrganisation]:
    """Organisations in scope, with region, parent and secretary, and their member count (one query a page)."""
    queryset = narrowed(scoped(PartyOrganisation, user), region or None).select_related(
        "region", "parent", "secretary")
    if category:
        queryset = queryset.filter(category=category)
    if org_type:
        queryset = queryset.filter(org_type=org_type)
    queryset = _name_filter(queryset, q)
    return queryset.annotate(member_count=_count_of(scoped(Membership, user), "organisation"))


def get_organisation_for_user(user: Any, pk: int) -> PartyOrganisation:
    return get_for_user(scoped(PartyOrganisation, user).select_related("region", "parent", "secretary"), user, pk=pk)


@dataclass
class OrgTree:
    """An organisation with what is around it: its ancestors (top first), its children, its members."""

    organisation: PartyOrganisation
    ancestors: list[PartyOrganisation] = field(default_factory=list)
    children: list[PartyOrganisation] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)


def organisation_tree(user: Any, organisation: PartyOrganisation) -> OrgTree:
    """Parents up to the top of the user's scope (an ancestor out of scope is not shown), children, members."""
    tree = OrgTree(organisation)
    visible = scoped(PartyOrganisation, user)
    parent_id = organisation.parent_id
    seen = {organisation.pk}
    while parent_id is not None and parent_id not in seen and len(seen) < 10:  # trees are 3–4 deep
        seen.add(parent_id)
        parent = visible.filter(pk=parent_id).only("pk", "name", "org_type", "parent_id").first()
        if parent is None:
            break
        tree.ancestors.insert(0, parent)
        parent_id = parent.parent_id
    tree.children = list(
        visible.filter(parent=organisation).select_related("region", "secretary")
        .annotate(member_count=Count("memberships")).order_by("name"))
    tree.members = list(members_of(user, organisation))
    return tree


def members_of(user: Any, organisation: PartyOrganisation) -> QuerySet[Membership]:
    return scoped(Membership, user).filter(organisation=organisation).select_related(
        "person__region").order_by("person__name", "person_id")


def village_organisations(user: Any, village_codes: Iterable[str]) -> dict[str, PartyOrganisation]:
    """{village code: its 村党组织} for the villages in scope that have one (one query). A village with
    more than one keeps the 党总支 before a 党支部, then the lowest id."""
    rows = scoped(PartyOrganisation, user).filter(
        category=OrgCategory.VILLAGE, region_id__in=list(village_codes)).select_related(
        "secretary").order_by("region_id", "org_type", "pk")  # "branch" sorts before "general_branch"
    out: dict[str, PartyOrganisation] = {}
    for org in rows:
        current = out.get(org.region_id)
        if current is None or (current.org_type == "branch" and org.org_type == "general_branch"):
            out[org.region_id] = org
    return out


def parent_choices(user: Any) -> QuerySet[PartyOrganisation]:
    """Organisations that may have children (党委, 党总支), in scope."""
    return scoped(PartyOrganisation, user).exclude(org_type="branch").order_by("region_id", "name")


def parent_picker_choices(user: Any, term: str, *, within: str = "", ids: Sequence[str] | None = None) -> list[Choice]:
    """党委 and 党总支 in scope whose name holds `term` (or the given ids), for the 上级组织 picker."""
    queryset = parent_choices(user).select_related("region")
    if ids is not None:
        queryset = queryset.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    elif term:
        queryset = queryset.filter(name__icontains=term)
    else:
        return []
    rows = queryset if ids is not None else queryset[: RESULT_LIMIT + 1]
    return [Choice(str(o.pk), o.name, f"{o.get_org_type_display()}，{o.region.name}") for o in rows]


def parent_picker_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(parent_picker_choices(user, "", ids=ids))


# --- supervisory committees -------------------------------------------------------------------------------

def committees_for(user: Any, *, year: int, region: str = "", q: str = "") -> QuerySet[SupervisoryCommittee]:
    """Committees in scope with their member count and the duties done in `year`."""
    queryset = narrowed(scoped(SupervisoryCommittee, user), region or None).select_related("village__parent")
    queryset = _name_filter(queryset, q, "village__name")
    return queryset.annotate(
        member_count=_count_of(scoped(CommitteeMember, user), "committee"),
        duties_done=_count_of(scoped(CommitteeDuty, user).filter(year=year, done=True), "committee"),
    ).order_by("village_id")


def villages_without_committee(user: Any, *, region: str = "", q: str = "") -> QuerySet[Region]:
    """Villages (村 and 社区) in scope with no supervisory committee."""
    villages = narrowed(scoped(Region, user), region or None).filter(level=Level.VILLAGE)
    villages = _name_filter(villages, q)
    # a committee concerns its own village, so the one-to-one's left join sees nothing out of scope
    return villages.filter(supervisory_committee__isnull=True).select_related("parent").order_by("code")


def get_committee_for_user(user: Any, pk: int) -> SupervisoryCommittee:
    return get_for_user(scoped(SupervisoryCommittee, user).select_related("village__parent"), user, pk=pk)


def committee_members(user: Any, committee: SupervisoryCommittee) -> QuerySet[CommitteeMember]:
    return scoped(CommitteeMember, user).filter(committee=committee).select_related("person").order_by(
        "post", "person__name")


def committee_duties(user: Any, committee: SupervisoryCommittee, year: int) -> dict[str, CommitteeDuty]:
    return {d.duty: d for d in scoped(CommitteeDuty, user).filter(committee=committee, year=year)}


# --- social organisations, stations, services -------------------------------------------------------------

def social_orgs_for(user: Any, *, q: str = "", kind: str = "", region: str = "",
                    year: int | None = None) -> QuerySet[SocialOrganisation]:
    queryset = narrowed(scoped(SocialOrganisation, user), region or None).select_related("region")
    if kind:
        queryset = queryset.filter(kind=kind)
    queryset = _name_filter(queryset, q)
    if year is not None:
        queryset = _with_service_counts(user, queryset, "social_org", year)
    return queryset.order_by("region_id", "name")


def stations_for(user: Any, *, q: str = "", region: str = "", year: int | None = None) -> QuerySet[EcommerceStation]:
    queryset = narrowed(scoped(EcommerceStation, user), region or None).select_related("region")
    queryset = _name_filter(queryset, q)
    if year is not None:
        queryset = _with_service_counts(user, queryset, "station", year)
    return queryset.order_by("region_id", "name")


def _with_service_counts(user: Any, queryset: QuerySet[Any], provider: str, year: int) -> QuerySet[Any]:
    """A provider's services in `year` and the households they reached, counted for the page's rows."""
    records = scoped(ServiceRecord, user).filter(served_on__gte=dt.date(year, 1, 1),
                                                 served_on__lt=dt.date(year + 1, 1, 1))
    annotated: QuerySet[Any] = queryset.annotate(
        service_count=_count_of(records, provider), household_count=_count_of(records, provider, distinct="household"))
    return annotated


def get_social_org_for_user(user: Any, pk: int) -> SocialOrganisation:
    return get_for_user(scoped(SocialOrganisation, user).select_related("region"), user, pk=pk)


def get_station_for_user(user: Any, pk: int) -> EcommerceStation:
    return get_for_user(scoped(EcommerceStation, user).select_related("region"), user, pk=pk)


def services_for(user: Any, *, year: int | None = None, region: str = "", kind: str = "",
                 social_org: int | None = None, station: int | None = None) -> QuerySet[ServiceRecord]:
    """Service records in scope (the household's village is the scope), newest first."""
    queryset = narrowed(scoped(ServiceRecord, user), region or None).select_related(
        "household__region", "social_org", "station")
    if year is not None:
        queryset = queryset.filter(served_on__gte=dt.date(year, 1, 1), served_on__lt=dt.date(year + 1, 1, 1))
    if kind:
        queryset = queryset.filter(kind=kind)
    if social_org is not None:
        queryset = queryset.filter(social_org_id=social_org)
    if station is not None:
        queryset = queryset.filter(station_id=station)
    return queryset.order_by("-served_on", "-id")


@dataclass(frozen=True)
class ServiceCounts:
    """A year's services to poor households: by kind, by provider type, and households served."""

    year: int
    by_kind: dict[str, int]
    social_org_services: int
    station_services: int
    households: int
    total: int

    def kind_rows(self) -> list[tuple[str, int]]:
        return [(label, self.by_kind.get(value, 0)) for value, label in ServiceKind.choices]


def service_counts(user: Any, *, year: int, region: str = "") -> ServiceCounts:
    """One aggregate query for the counts, one for the kinds."""
    records = services_for(user, year=year, region=region).order_by()
    totals = records.aggregate(
        total=Count("id"), social=Count("id", filter=Q(social_org__isnull=False)),
        station=Count("id", filter=Q(station__isnull=False)), households=Count("household", distinct=True))
    by_kind = dict(records.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return ServiceCounts(year=year, by_kind=by_kind, social_org_services=totals["social"],
                         station_services=totals["station"], households=totals["households"], total=totals["total"])


def organisation_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, int]:
    """What exists at the end of `year` in scope (four queries): organisations newly set up in 产业园区 and
    农民工聚集地, 电商特色党支部, supervisory committees, social organisations and e-commerce stations; a
    record without a date counts as existing."""
    def existing(field_name: str) -> Q:
        return Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__lte": dt.date(year, 12, 31)})

    orgs = narrowed(scoped(PartyOrganisation, user), region).filter(existing("founded_on")).aggregate(
        new=Count("id", filter=Q(category__in=NEW_CATEGORIES)),
        ecommerce=Count("id", filter=Q(category=OrgCategory.ECOMMERCE)))
    return {
        "new_organisations": orgs["new"], "ecommerce_branches": orgs["ecommerce"],
        "committees": narrowed(scoped(SupervisoryCommittee, user), region).filter(existing("founded_on")).count(),
        "social_organisations": narrowed(scoped(SocialOrganisation, user), region).filter(existing("founded_on")).count(),
        "stations": narrowed(scoped(EcommerceStation, user), region).filter(existing("opened_on")).count(),
    }
