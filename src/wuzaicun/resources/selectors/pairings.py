"""Reads of 支部结对、干群结亲与企业帮扶 (every read scoped): pairings active in a year with their supports, the
totals cards, enterprises with what they pledged and paid in a year."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from wuzaicun.accounts.scope import get_for_user, narrowed, scoped
from wuzaicun.core.pickers import RESULT_LIMIT, Choice, labels_of
from wuzaicun.regions.models import VillageYear

from ..models.pairings import (
    BranchPairing,
    Enterprise,
    EnterpriseHelp,
    KinPairing,
    KinPairingTally,
    PairingSupport,
    SupportKind,
)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
POOR = "未脱贫"


def _active(year: int | None) -> Q:
    if year is None:
        return Q()
    return Q(since__lte=year) & (Q(until__isnull=True) | Q(until__gte=year))


def branch_pairings(user: Any, *, year: int | None = None, region: str | None = None,
                    q: str = "") -> QuerySet[BranchPairing]:
    rows = narrowed(scoped(BranchPairing, user), region).filter(_active(year))
    if q:
        rows = rows.filter(Q(helper__name__icontains=q) | Q(helped__name__icontains=q)
                           | Q(helped__region__name__icontains=q))
    supports = scoped(PairingSupport, user).filter(branch_pairing=OuterRef("pk"))
    if year is not None:
        supports = supports.filter(year=year)
    return (rows.annotate(support_count=Coalesce(_subcount(supports, "branch_pairing"), 0),
                          support_amount=Coalesce(_subsum(supports, "branch_pairing"), ZERO))
            .select_related("helper", "helped", "helped__region", "helped__region__parent")
            .order_by("helped__region_id", "pk"))


def _subcount(qs: QuerySet[Any], by: str) -> Any:
    return Subquery(qs.order_by().values(by).annotate(n=Func("pk", function="COUNT")).values("n"),
                    output_field=IntegerField())


def _subsum(qs: QuerySet[Any], by: str) -> Any:
    return Subquery(qs.order_by().values(by).annotate(s=Func("amount", function="SUM")).values("s"),
                    output_field=DecimalField(max_digits=16, decimal_places=2))


def kin_pairings(user: Any, *, year: int | None = None, region: str | None = None,
                 q: str = "", poor: bool = False) -> QuerySet[KinPairing]:
    """干群结亲 active in the year; `q` a cadre's name or a household head's name. The lean list: no annotation,
    ordered by village, household, then pairing — the order of the pairings' village index (D46), so a page is an
    index walk that stops after its rows even over 295,700 (R7; newest-first by primary key made SQLite sort every
    row of a city scope: 1.2 s a page)."""
    rows = narrowed(scoped(KinPairing, user), region).filter(_active(year))
    if q:
        rows = rows.filter(Q(person__name__icontains=q) | Q(household__head_name__icontains=q))
    if poor:
        rows = rows.filter(household__status=POOR)
    return rows.order_by("village_id", "household_id", "pk")


def kin_page_rows(rows: QuerySet[KinPairing]) -> QuerySet[KinPairing]:
    return rows.select_related("person", "person__unit", "household", "household__region",
                               "household__region__parent")


def kin_count(rows: QuerySet[KinPairing]) -> int:
    """The count of the lean list without ordering or joins beyond the filters (Paginator's count() would do
    the same; kept separate so the page runs it once)."""
    return rows.order_by().count()


def pairing_totals(user: Any, *, year: int, region: str | None = None, pairs: int | None = None) -> dict[str, Any]:
    """The cards: branch pairings and kin pairs active in the year (`pairs` when the caller counted them already),
    households paired (of them 未脱贫) — counted from the households' side, one index probe a household, twice as
    fast as distinct counts over the pairs —, and the year's supports by kind with their value."""
    from wuzaicun.registry.models import Household

    if pairs is None:
        pairs = kin_count(narrowed(scoped(KinPairing, user), region).filter(_active(year)))
    paired = Exists(scoped(KinPairing, user).filter(_active(year), household=OuterRef("pk")))
    households = narrowed(scoped(Household, user), region).filter(paired).aggregate(
        households=Count("pk"), poor=Count("pk", filter=Q(status=POOR)))
    branches = narrowed(scoped(BranchPairing, user), region).filter(_active(year)).count()
    supports = {kind: {"count": 0, "amount": Decimal(0)} for kind in SupportKind.values}
    for kind, n, amount in (narrowed(scoped(PairingSupport, user), region).filter(year=year)
                            .values("kind").annotate(n=Count("pk"), amount=Coalesce(Sum("amount"), ZERO))
                            .values_list("kind", "n", "amount")):
        supports[kind] = {"count": n, "amount": amount}
    by_kind = [(SupportKind(kind).label, f["count"], f["amount"]) for kind, f in supports.items()]
    return households | {"pairs": pairs, "branches": branches, "supports": by_kind}


def get_branch_for_user(user: Any, pk: int) -> BranchPairing:
    return get_for_user(scoped(BranchPairing, user).select_related(
        "helper", "helper__region", "helped", "helped__region", "helped__region__parent"), user, pk=pk)


def get_kin_for_user(user: Any, pk: int) -> KinPairing:
    return get_for_user(scoped(KinPairing, user).select_related(
        "person", "person__unit", "household", "household__region", "household__region__parent"), user, pk=pk)


def supports_of(user: Any, *, branch: BranchPairing | None = None,
                kin: KinPairing | None = None) -> QuerySet[PairingSupport]:
    rows = scoped(PairingSupport, user)
    rows = rows.filter(branch_pairing=branch) if branch is not None else rows.filter(kin_pairing=kin)
    return rows.order_by("-year", "-pk")


def supports_for(user: Any, *, year: int | None = None, region: str | None = None,
                 kind: str = "") -> QuerySet[PairingSupport]:
    rows = narrowed(scoped(PairingSupport, user), region)
    if year is not None:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("village").order_by("-year", "-pk")


# --- 企业帮扶 -------------------------------------------------------------------------------------------------

def enterprises_for(user: Any, *, year: int, region: str | None = None, q: str = "") -> QuerySet[Enterprise]:
    """Enterprises registered in scope with the year's villages helped, poor villages helped, pledged and paid
    (helps to villages in the viewer's scope)."""
    rows = narrowed(scoped(Enterprise, user), region)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()))
    helps = scoped(EnterpriseHelp, user)
    in_year = Q(helps__year=year, helps__in=helps)
    poor_villages = scoped(VillageYear, user).filter(year=year, is_poor=True).values("village_id")
    return (rows.annotate(
        villages=Count("helps__village", filter=in_year, distinct=True),
        poor_villages=Count("helps__village", filter=in_year & Q(helps__village__in=poor_villages), distinct=True),
        pledged=Coalesce(Sum("helps__pledged", filter=in_year), ZERO),
        paid=Coalesce(Sum("helps__paid", filter=in_year), ZERO),
    ).select_related("region").order_by("name", "pk"))


def pairing_counts(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """The headline figures' read: 干群结亲 pairs and 支部结对 in force in the year, and the year's supports (项目
    among them) with their value (three queries; no household count, which the cards add)."""
    kin = narrowed(scoped(KinPairingTally, user), region).filter(  # the tally (D47): a few rows a village
        Q(until=0) | Q(until__gte=year), since__lte=year).aggregate(n=Coalesce(Sum("n"), 0))["n"]
    branch = narrowed(scoped(BranchPairing, user), region).filter(_active(year)).count()
    supports = narrowed(scoped(PairingSupport, user), region).filter(year=year).aggregate(
        supports=Count("id"), projects=Count("id", filter=Q(kind=SupportKind.PROJECT)),
        amount=Coalesce(Sum("amount"), ZERO))
    return {"kin_pairs": kin, "branch_pairings": branch, **supports}


def enterprise_totals(user: Any, *, year: int, region: str | None = None) -> dict[str, Any]:
    """The year's helps to villages in scope: enterprises, villages, poor villages helped, pledged, paid."""
    helps = narrowed(scoped(EnterpriseHelp, user), region).filter(year=year)
    poor_villages = scoped(VillageYear, user).filter(year=year, is_poor=True).values("village_id")
    return helps.aggregate(
        enterprises=Count("enterprise", distinct=True), villages=Count("village", distinct=True),
        poor_villages=Count("village", distinct=True, filter=Q(village__in=poor_villages)),
        pledged=Coalesce(Sum("pledged"), ZERO), paid=Coalesce(Sum("paid"), ZERO))


def get_enterprise_for_user(user: Any, pk: int) -> Enterprise:
    return get_for_user(scoped(Enterprise, user).select_related("region"), user, pk=pk)


def helps_of(user: Any, enterprise: Enterprise, *, year: int | None = None) -> QuerySet[EnterpriseHelp]:
    rows = scoped(EnterpriseHelp, user).filter(enterprise=enterprise)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("village", "village__parent").order_by("-year", "village_id")


def helps_for(user: Any, *, year: int | None = None, region: str | None = None) -> QuerySet[EnterpriseHelp]:
    rows = narrowed(scoped(EnterpriseHelp, user), region)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("enterprise", "enterprise__region", "village").order_by("-year", "village_id", "pk")


# --- pickers --------------------------------------------------------------------------------------------------

def org_choices(user: Any, term: str, *, village: bool, ids: Sequence[str] | None = None) -> list[Choice]:
    """Party organisations in scope by name: villages' (`village`, the helped side) or units' and townships'."""
    from wuzaicun.organization.models import PartyOrganisation

    rows = scoped(PartyOrganisation, user).select_related("region")
    rows = rows.filter(category="village", region__level=5) if village else rows.exclude(category="village").exclude(
        region__level=5)
    if ids is not None:
        rows = rows.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
    elif term:
        rows = rows.filter(Q(name__icontains=term) | Q(region__name__icontains=term))
    else:
        return []
    picked = rows.order_by("region_id", "name", "pk")
    return [Choice(str(o.pk), o.name, f"{o.get_org_type_display()}，{o.region.name}")
            for o in (picked if ids is not None else picked[: RESULT_LIMIT + 1])]


def village_org_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(org_choices(user, "", village=True, ids=ids))


def helper_org_labels(user: Any, ids: Sequence[str]) -> dict[str, str]:
    return labels_of(org_choices(user, "", village=False, ids=ids))
