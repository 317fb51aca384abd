"""一村一档 and 一户一档 assembled from the mechanisms' selectors: one block a mechanism, each a fixed number of
queries whatever the village's size (insight reads the mechanisms; none of them imports it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wuzaicun.cadres.selectors import dossier as cadres
from wuzaicun.core.masking import mask_phone, mask_resident_id_public
from wuzaicun.organization.selectors import dossier as organization
from wuzaicun.regions.models import Region, VillageYear
from wuzaicun.regions.selectors import village_years_of
from wuzaicun.registry.models import Household
from wuzaicun.resources.selectors import dossier as resources
from wuzaicun.responsibility import selectors as responsibility
from wuzaicun.responsibility.duties import ListKind
from wuzaicun.verification import selectors as verification

# The sections of 一村一档, in the seed's order: (anchor, title). The page's tabs and the tests use them.
VILLAGE_SECTIONS = (
    ("flags", "村情"),
    ("responsibility", "责任在村落实"),
    ("organization", "组织在村建强"),
    ("cadres", "干部在村成长"),
    ("resources", "资源在村整合"),
    ("verification", "成效在村检验"),
    ("households", "农户"),
)


def village_file(user: Any, village: Region, *, year: int) -> dict[str, Any]:
    """Everything the mechanisms hold about the village for the year, and its 历年 summaries where cheap."""
    code = village.code
    years = village_years_of(user, code)
    entries = responsibility.village_entries(user, code, year=year)
    by_kind = {kind.value: {"label": kind.label, "entries": []} for kind in ListKind}
    for entry in entries:
        by_kind[entry.kind]["entries"].append(entry)  # type: ignore[attr-defined]
    return {
        "flags": {"this_year": next((row for row in years if row.year == year), None), "years": years},
        "responsibility": {
            "lists": list(by_kind.values()), "entry_count": len(entries),
            "entry_years": responsibility.village_entry_years(user, code),
            "ledger": responsibility.village_ledger_counts(user, code, year=year),
        },
        "organization": {
            "organisations": organization.village_organisations(user, code, year=year),
            "cases": organization.village_cases(user, code),
            "committee": organization.village_committee(user, code, year=year),
            "guarantees": _guarantees(organization.village_guarantees(user, code), year),
            "entities": organization.village_entities(user, code, year=year),
            "income_years": organization.village_income_years(user, code),
        },
        "cadres": {
            "groups": cadres.village_groups(user, code, year=year),
            "dispatches": cadres.village_dispatches(user, code, year=year),
            "dispatch_years": cadres.village_dispatch_years(user, code),
            "secretary_projects": cadres.village_secretary_projects(user, code, year=year),
            "talents": cadres.village_talents(user, code, year=year),
        },
        "resources": {
            "projects": resources.village_projects(user, code, year=year),
            "project_years": resources.village_project_years(user, code),
            "groups": resources.village_groups(user, code),
            "shares": resources.village_shares(user, code, year=year),
            "pairings": resources.village_pairings(user, code, year=year),
            "enterprise_helps": resources.village_enterprise_helps(user, code, year=year),
            "decisions": resources.village_decisions(user, code, year=year),
        },
        "verification": {
            "plans": spot_check_rows(verification.village_findings(user, code)),
            "assessments": verification.village_assessments(user, code),
        },
    }


def spot_check_rows(picks: list[Any]) -> list[dict[str, Any]]:
    """One row a closed plan: its quarter, the village's entries picked, the findings by result and the entries
    found 不到位 (named), newest plan first (the picks come in that order)."""
    rows: dict[int, dict[str, Any]] = {}
    for pick in picks:
        row = rows.setdefault(pick.plan_id, {"label": f"{pick.plan.year}年第{pick.plan.quarter}季度", "picks": 0,
                                             "in_place": 0, "mostly": 0, "not_in_place": 0, "pending": 0,
                                             "failed": []})
        row["picks"] += 1
        finding = getattr(pick, "finding", None)
        result = finding.result if finding is not None else "pending"
        row[result] += 1
        if result == "not_in_place":
            entry = pick.assignment
            who = entry.person.name if entry.person else entry.team.name if entry.team else ""
            row["failed"].append(f"{entry.get_kind_display()}清单：{who}")
    return list(rows.values())


def _guarantees(rows: list[Any], year: int) -> dict[str, Any]:
    return {"this_year": next((row for row in rows if row.year == year), None), "years": rows}


def flags_of(row: VillageYear | None) -> list[str]:
    """The village's flags of a year as the page shows them (贫困村, 软弱涣散, 少数民族村, 已出列)."""
    if row is None:
        return []
    flags = []
    if row.is_poor:
        flags.append("贫困村")
    if row.is_weak_organisation:
        flags.append("软弱涣散村")
    if row.is_ethnic_minority:
        flags.append("少数民族村")
    return flags


CARD_HELPERS = 6  # the 明白卡 is one A5 page: the first six helpers in force


@dataclass(frozen=True)
class Helper:
    """Someone who helps the household: a 干群结亲 cadre or a list entry naming it."""

    name: str
    role: str
    since: str
    phone: str  # always masked: the stored mask (138****1234), the same in both profiles
    current: bool  # in force in the year shown (the 明白卡 lists only these)


def household_file(user: Any, household: Household, *, year: int) -> dict[str, Any]:
    """Everything the mechanisms hold about one household (one query a block)."""
    pk = household.pk
    helpers = [Helper(k.person.name, "干群结亲", f"{k.since}年" + (f"至{k.until}年" if k.until else "起"),
                      _phone(k.person), k.since <= year and (k.until is None or k.until >= year))
               for k in resources.household_kin(user, pk)]
    helpers += [Helper(e.person.name if e.person else e.team.name if e.team else "", f"{e.get_kind_display()}清单",
                       f"{e.year}年", _phone(e.person), True)
                for e in responsibility.household_helper_entries(user, pk, year=year)]
    helpers.sort(key=lambda helper: not helper.current)
    contributions = resources.household_contributions(user, pk)
    dividends = resources.household_dividends(user, pk)
    return {
        "helpers": helpers,
        "card_helpers": [helper for helper in helpers if helper.current][:CARD_HELPERS],
        "visits": responsibility.household_visits(user, pk),
        "projects": resources.household_projects(user, pk),
        "group": resources.household_group(user, pk),
        "contributions": contributions,
        "shares": sum((c.shares for c in contributions), Decimal("0")),
        "dividends": dividends,
        "dividend_total": sum((d.amount for d in dividends), Decimal("0")),
    }


def _phone(person: Any) -> str:
    return mask_phone(person.phone_masked) if person is not None and person.phone_masked else ""


def public_id(household: Household) -> str:
    """The 明白卡's ID: the public-notice profile (first 2 + last 3) of the stored mask, which keeps the first 6 and
    the last 4 characters, so the full number is never opened for it."""
    return mask_resident_id_public(household.resident_id_masked)
