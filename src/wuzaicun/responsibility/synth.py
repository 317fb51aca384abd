"""Synthetic lists for the synth data set: a full year of the five lists, with a few per cent of gaps.

Gaps are planted on purpose, at realistic rates, so the coverage page of the demo shows findings of
every rule: poor villages missing a list, households with fewer than three helpers, leaders helping
too few households, stationed cadres without an industry goal, entries without duties or late.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone

from wuzaicun.core.operator import OPERATOR
from wuzaicun.core.synth import SynthContext, register_step
from wuzaicun.regions.models import VillageYear
from wuzaicun.registry.models import Household, Person

from .duties import STANDARD_DUTIES, GoalKind, ListKind
from .models import Assignment, AssignmentHousehold, HouseholdHelpers, ResponsibilityYear
from .services import open_year, recount_helpers

MISSING_LIST = 0.02  # a poor village without one of its lists
SHORT_HELPERS = 0.03  # a poor household with fewer than three helpers
SHORT_LEADER = 0.04  # a leader helping too few households
NO_GOAL = 0.05  # a stationed cadre's entry without an industry or entity goal
NO_DUTIES = 0.01
LATE = 0.02  # entered on or after the due date
PARTY = ("中共党员", "中共预备党员")
_INDUSTRIES = ("茶叶", "辣椒", "生猪养殖", "中药材", "蔬菜", "精品水果", "乡村旅游", "竹编", "食用菌")
_COLUMNS = ("year", "kind", "person_id", "team_id", "village_id", "stationed_post", "duties", "goal", "goal_kind",
            "created_at", "created_by_id", "version")


class _Entries:
    """Collects one county's entries as rows, and the households each links to."""

    def __init__(self, ctx: SynthContext, rng: random.Random, due: dt.date) -> None:
        self.ctx, self.rng, self.due = ctx, rng, due
        self.rows: list[tuple[Any, ...]] = []
        self.links: list[tuple[tuple[str, int | None, int | None, str], list[int]]] = []

    def add(self, kind: str, village: str, *, person: int | None = None, team: int | None = None,
            households: Sequence[int] = (), post: str = "", goal: str = "", goal_kind: str = "") -> None:
        rng = self.rng
        duties = [] if rng.random() < NO_DUTIES else list(STANDARD_DUTIES[kind])
        if rng.random() < LATE:
            when = self.due + dt.timedelta(days=rng.randint(0, 60))
        else:
            when = dt.date(self.ctx.year, 1, 5) + dt.timedelta(days=rng.randint(0, (self.due - dt.date(self.ctx.year, 1, 5)).days - 1))
        created = timezone.make_aware(dt.datetime.combine(when, dt.time(9 + rng.randint(0, 8), rng.randint(0, 59))))
        self.rows.append((self.ctx.year, kind, person, team, village, post, json.dumps(duties, ensure_ascii=False),
                          goal, goal_kind, created, None, 1))
        if households:
            self.links.append(((kind, person, team, village), list(households)))


def _party_helpers(county: str) -> dict[str, list[int]]:
    """Village → its party members who can help (农村党员, 村干部 who are party members)."""
    rows = Person.objects_unscoped.filter(
        region__code__within=county[:6], region__level=5, political_status__in=PARTY,
        rank__in=("农村党员", "村干部"),
    ).values_list("region_id", "id")
    out: dict[str, list[int]] = defaultdict(list)
    for village, person in rows.order_by("id").iterator(chunk_size=20000):
        out[village].append(person)
    return out


def _poor_households(county: str) -> dict[str, list[int]]:
    rows = Household.objects_unscoped.filter(region__code__within=county[:6], status="未脱贫").values_list(
        "region_id", "id")
    out: dict[str, list[int]] = defaultdict(list)
    for village, household in rows.order_by("id").iterator(chunk_size=20000):
        out[village].append(household)
    return out


def _county(ctx: SynthContext, county: str, due: dt.date, entries: _Entries) -> None:
    rng = entries.rng
    poor = sorted(v for v in ctx.villages_by_county.get(county, []) if v in ctx.poor_villages)
    households = _poor_households(county)
    helpers = _party_helpers(county)
    # 帮村: a township (or the county) leadership team for each poor village.
    for village in poor:
        teams = ctx.teams_by_region.get(village[:9].ljust(12, "0")) or ctx.teams_by_region.get(county) or []
        if teams and rng.random() >= MISSING_LIST:
            entries.add(ListKind.TEAM, village, team=teams[0])
    # 驻村: every stationed cadre (poor, weak-organisation and minority villages), with an industry goal.
    for village in sorted(v for v in ctx.villages_by_county.get(county, []) if ctx.stationed.get(v)):
        if village in poor and rng.random() < MISSING_LIST:
            continue
        for person, post, _unit in ctx.stationed.get(village, []):
            if rng.random() < NO_GOAL:
                goal, goal_kind = "加强基层组织建设", ""
            elif rng.random() < 0.7:
                goal, goal_kind = f"发展{rng.choice(_INDUSTRIES)}产业", GoalKind.INDUSTRY
            else:
                goal, goal_kind = f"兴办{rng.choice(_INDUSTRIES)}专业合作社", GoalKind.ENTITY
            entries.add(ListKind.STATIONED, village, person=person, post=post, goal=goal, goal_kind=goal_kind)
    # 联村: county-level leaders (2 households) and township leaders (1) link to poor villages.
    leaders = [(p, 2) for p in ctx.people_by_region.get(county, {}).get("县处级", [])]
    for township in ctx.townships_by_county.get(county, []):
        leaders += [(p, 1) for p in ctx.people_by_region.get(township, {}).get("乡科级", [])]
    linked: set[str] = set()
    candidates = poor or sorted(households)
    for index, (person, needed) in enumerate(leaders):
        if not candidates:
            break
        village = candidates[index % len(candidates)] if index < len(candidates) else rng.choice(candidates)
        if village in linked and rng.random() < 0.5:
            village = rng.choice(candidates)
        pool = households.get(village, [])
        count = needed - 1 if rng.random() < SHORT_LEADER else needed
        if village in poor and village not in linked and rng.random() < MISSING_LIST:
            continue
        linked.add(village)
        entries.add(ListKind.LEADER, village, person=person, households=rng.sample(pool, min(count, len(pool))))
    # 助村: three or more party members help each poor household (多对一), a few households fewer.
    for village, members in sorted(households.items()):
        party = helpers.get(village, [])
        if not party:
            continue
        helped: dict[int, list[int]] = defaultdict(list)
        for household in members:
            wanted = 2 if rng.random() < SHORT_HELPERS else rng.choice((3, 4, 4, 5, 5, 6, 6))
            for person in rng.sample(party, min(wanted, len(party))):
                helped[person].append(household)
        for person, homes in sorted(helped.items()):
            entries.add(ListKind.HELPER, village, person=person, households=homes)
    # 带村: every capable party member leads a 十户一体 group (groups themselves come with 资源在村整合).
    for village in ctx.villages_by_county.get(county, []):
        for person in ctx.people_by_region.get(village, {}).get("能人党员", []):
            entries.add(ListKind.GROUP_HEAD, village, person=person, goal="带动十户一体共同增收")


def _city_leaders(ctx: SynthContext, city: str, entries: _Entries) -> None:
    """Each 市委常委 and 副市长 packs one poor village, which is set to exit this year as a city demonstration
    site (精品示范点) — all but one leader, whose missing village is a finding for the demo."""
    leaders = list(ctx.people_by_region.get(city, {}).get("市级领导", []))
    poor = sorted(v for v in ctx.poor_villages if v.startswith(city[:4]))
    ready = [v for v in poor if ctx.exit_years.get(v) == ctx.year and ctx.demonstration.get(v)]
    pool = ready + entries.rng.sample([v for v in poor if v not in ready], min(len(poor) - len(ready), len(leaders)))
    packed = []
    for person, village in zip(leaders[:-1], pool, strict=False):
        entries.add(ListKind.LEADER, village, person=person, goal="包保贫困村当年出列，打造精品示范点")
        packed.append(village)
    VillageYear.objects_unscoped.filter(year=ctx.year, village_id__in=packed, demonstration="").update(
        demonstration="city")
    VillageYear.objects_unscoped.filter(year=ctx.year, village_id__in=packed).update(exit_year=ctx.year)


def _write(ctx: SynthContext, entries: _Entries) -> None:
    if not entries.rows:
        return
    ctx.insert(Assignment._meta.db_table, _COLUMNS, entries.rows)
    if not entries.links:
        return
    villages = {key[3] for key, _ in entries.links}
    ids: dict[tuple[str, int | None, int | None, str], int] = {}
    stored = Assignment.objects_unscoped.filter(year=ctx.year, village_id__in=villages).values_list(
        "id", "kind", "person_id", "team_id", "village_id")
    for pk, kind, person, team, village in stored.iterator(chunk_size=20000):
        ids[(kind, person, team, village)] = pk
    links = ((ids[key], household) for key, homes in entries.links for household in homes)
    ctx.insert(AssignmentHousehold._meta.db_table, ("assignment_id", "household_id"), links)


def generate_lists(ctx: SynthContext) -> None:
    if not ResponsibilityYear.objects_unscoped.filter(year=ctx.year).exists():
        open_year(actor=OPERATOR, year=ctx.year)
    due = ResponsibilityYear.objects_unscoped.get(year=ctx.year).due_date
    done = set(
        Assignment.objects_unscoped.filter(year=ctx.year, village__code__within=ctx.prefix)
        .values_list("village_id", flat=True).distinct()
    )
    done_counties = {v[:6] for v in done}
    for city in ctx.cities:
        if city[:4] not in {c[:4] for c in done_counties}:
            entries = _Entries(ctx, ctx.rng_for("lists", city), due)
            _city_leaders(ctx, city, entries)
            _write(ctx, entries)
    for county in ctx.counties:
        if county[:6] in done_counties:
            continue
        entries = _Entries(ctx, ctx.rng_for("lists", county), due)
        _county(ctx, county, due, entries)
        _write(ctx, entries)
    # The households' helper counts, as every write of the links keeps them (D23): one grouped pass at the end.
    # Per county, PostgreSQL planned each recount from the year's helper entries (no statistics yet on tables
    # that grew during the run), and the step took 667 s instead of 76.
    started, table = time.perf_counter(), HouseholdHelpers._meta.db_table
    ctx.analyze(Household._meta.db_table, Assignment._meta.db_table, AssignmentHousehold._meta.db_table,
                Person._meta.db_table)
    ctx.rows[table] += recount_helpers(Household.objects_unscoped.filter(region__code__within=ctx.prefix),
                                       year=ctx.year)
    ctx.seconds[table] += time.perf_counter() - started


register_step("responsibility_lists", 70, generate_lists, label="五张责任清单")


# --- the ledger (责任台账): lines locked at the start of the year, quarterly reconciliations, visits -------

_LINE_COLUMNS = ("assignment_id", "village_id", "year", "commitment", "target_value", "target_unit", "status", "locked_at",
                 "locked_by_id", "closed_at", "closed_by_id", "closing_note", "carried_from_id", "accountability",
                 "version")
_RECONCILIATION_COLUMNS = ("line_id", "quarter", "progress_value", "on_track", "narrative", "submitted_by_id",
                           "submitted_at", "state", "reviewed_by_id", "reviewed_at", "review_note", "version")
_COMMITMENTS: dict[str, tuple[str, int, str]] = {
    ListKind.TEAM: ("帮助村里解决实际问题", 5, "件"),
    ListKind.LEADER: ("结对帮扶贫困户增收", 2, "户"),
    ListKind.STATIONED: ("发展特色产业", 50, "亩"),
}


def _moment(year: int, month: int, rng: random.Random) -> dt.datetime:
    day = dt.date(year, month, 1) + dt.timedelta(days=rng.randint(0, 27))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9 + rng.randint(0, 8), rng.randint(0, 59))))


def generate_ledger(ctx: SynthContext) -> None:
    """One commitment per 帮村/联村/驻村 entry, locked in March; Q1 reconciled and reviewed; some of Q2; visits."""
    from .models import LedgerLine, Reconciliation, Visit

    entries = Assignment.objects_unscoped.filter(
        year=ctx.year, village__code__within=ctx.prefix, kind__in=list(_COMMITMENTS)
    ).exclude(ledger_lines__isnull=False).values_list("pk", "kind", "village_id").order_by("pk")
    rng = ctx.rng_for("ledger", ctx.prefix)
    rows = []
    for pk, kind, village in entries.iterator(chunk_size=20000):
        text, target, unit = _COMMITMENTS[kind]
        locked = rng.random() < 0.95
        rows.append((pk, village, ctx.year, text, target, unit, "locked" if locked else "draft",
                     _moment(ctx.year, 3, rng) if locked else None, None, None, None, "", None, False, 1))
    if not rows:
        return
    ctx.insert(LedgerLine._meta.db_table, _LINE_COLUMNS, rows)
    lines = LedgerLine.objects_unscoped.filter(year=ctx.year, status="locked", village__code__within=ctx.prefix,
                                               reconciliations__isnull=True).values_list("pk", "target_value")
    reconciliations = []
    for pk, line_target in lines.order_by("pk").iterator(chunk_size=20000):
        for quarter, share in ((1, 1.0), (2, 0.6)):
            if rng.random() >= share:
                continue
            draw = rng.random()
            state, note = ("approved", "")
            if draw < 0.05:
                state, note = "pending", ""
            elif draw < 0.08:
                state, note = "returned", "佐证材料不全，请补充现场照片"
            elif draw < 0.10:
                state, note = "problem", "进度滞后，请说明原因并提出措施"
            progress = round(float(line_target or 0) * quarter / 4 * rng.uniform(0.6, 1.2), 2)
            submitted = _moment(ctx.year, 3 * quarter + 1 if quarter < 4 else 12, rng)
            reviewed = submitted + dt.timedelta(days=rng.randint(1, 10)) if state != "pending" else None
            reconciliations.append((pk, quarter, progress, state != "problem", "按计划推进，已完成阶段目标",
                                    None, submitted, state, None, reviewed, note, 1))
    ctx.insert(Reconciliation._meta.db_table, _RECONCILIATION_COLUMNS, reconciliations)
    pairs = AssignmentHousehold.objects_unscoped.filter(
        assignment__year=ctx.year, assignment__kind=ListKind.HELPER, assignment__village__code__within=ctx.prefix,
    ).values_list("assignment__person_id", "household_id").order_by("pk")
    recorded = timezone.make_aware(dt.datetime.combine(dt.date(ctx.year, 4, 1), dt.time(9)))

    def visits() -> Iterator[tuple[Any, ...]]:  # drawn in batches while the pairs are read (ctx.insert)
        for person, household in pairs.iterator(chunk_size=50000):
            if rng.random() < 0.85:
                day = dt.date(ctx.year, 1, 10) + dt.timedelta(days=rng.randint(0, 75))
                yield person, household, day, rng.choice(_VISITS), None, recorded

    ctx.insert(Visit._meta.db_table, ("person_id", "household_id", "visited_on", "activity", "recorded_by_id",
                                      "recorded_at"), visits())


_VISITS = ("宣传扶贫政策", "了解生产生活情况", "帮助申请产业补助", "协调就业岗位", "送医送药", "帮助子女入学")


register_step("responsibility_ledger", 75, generate_ledger, label="责任台账、对账与走访")
