"""The synthetic data set: a registry of steps each app contributes, and the one run that calls them in order.

Each app adds its own steps from its own `synth.py` (imported from its AppConfig.ready()), so a
mechanism added later brings its synthetic data with it. Steps share one `SynthContext`: the seed,
year and area, and the maps later steps need (villages by county, people by rank, ...).

Data is generated county by county. A county that already holds the year's village facts is left as
it is and its households and people are reused, so running synth again adds nothing (and is refused),
and a province run after a city run fills in only the other cities.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, transaction

from . import generation, tally
from .errors import DomainError

# The area each scale covers (a region-code prefix): 遵义市, all of 贵州省, or the whole country.
SCALES: dict[str, str] = {"city": "5203", "province": "52", "country": ""}
SCALE_LABELS: dict[str, str] = {"city": "市级（遵义市）", "province": "省级（贵州省）", "country": "全国（逐省生成、逐省提交）"}
# The country scale's provinces (mainland, real codes). Each is generated and committed on its own, as a province
# run is: a national run is 31 province runs, so what is held in memory is one province's maps, never the nation's.
COUNTRY_PROVINCES: tuple[str, ...] = (
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
)
INSERT_BATCH = 100_000  # rows of a generator drawn and written at a time (SynthContext.insert)
EARLIEST_YEAR = 2014  # 建档立卡: poor households were first identified in 2014
LATEST_YEAR = 2030


class SynthRefused(DomainError):
    """The synthetic data asked for cannot be generated (already there, or the area is unknown)."""

    code = "synth_refused"


class AlreadyGenerated(SynthRefused):
    """Every county of the area already holds the year's data: a country run skips such a province."""


def _silent(message: str) -> None:
    return None


@dataclass
class SynthContext:
    """What one run's steps share. Region codes are 12 digits; person, unit and team ids are primary keys."""

    seed: int
    year: int
    scale: str
    prefix: str  # rows are written for regions under this prefix
    universe: str  # the scale's whole area: village facts are allocated over it, so --prefix keeps them
    rng: random.Random
    log: Callable[[str], None] = _silent

    region_names: dict[str, str] = field(default_factory=dict)
    cities: list[str] = field(default_factory=list)  # city codes under the prefix
    counties: list[str] = field(default_factory=list)  # county codes under the prefix
    fill_counties: set[str] = field(default_factory=set)  # counties this run generates the year for
    townships_by_county: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    villages_by_township: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    villages_by_county: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rural_villages: set[str] = field(default_factory=set)  # 村, as opposed to 社区/居委会

    # The year's village facts (村情), for every village under the prefix.
    poor_villages: set[str] = field(default_factory=set)
    exit_years: dict[str, int] = field(default_factory=dict)  # poor villages already out (出列) by the year
    weak_villages: set[str] = field(default_factory=set)
    minority_villages: set[str] = field(default_factory=set)
    demonstration: dict[str, str] = field(default_factory=dict)  # village → provincial/city/county

    households_by_village: dict[str, int] = field(default_factory=dict)
    unexited_households_by_village: dict[str, int] = field(default_factory=dict)  # 未脱贫

    units_by_region: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))  # name → id
    people_by_rank: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    people_by_region: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )  # region → rank → ids
    # Cadres stationed in a village (第一书记, 驻村干部): village → [(person id, post, sending unit id)].
    stationed: dict[str, list[tuple[int, str, int | None]]] = field(default_factory=lambda: defaultdict(list))
    teams_by_region: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    shared: dict[str, Any] = field(default_factory=dict)  # anything else one step leaves for a later one
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # table → rows written
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # table → seconds inserting

    # A country run's province against Guizhou, whose real figures the province quotas are: its poor villages over
    # Guizhou's (regions.national); 1 for every other run and for Guizhou itself.
    quota_share: float = 1.0

    @property
    def quota_scale(self) -> str:
        """The scale whose fixed quotas (sessions, entities, dispatches, ...) a step uses: a country run is a run
        per province, each with a province's quotas scaled to its size (`quota`)."""
        return "province" if self.scale == "country" else self.scale

    def quota(self, value: float) -> int:
        """A quota of the run's scale for this run: as it is, but a country run's province gets its share of
        Guizhou's (its poor villages against Guizhou's), so that 宁夏 is not given Guizhou's 干群结亲 or entities."""
        if self.quota_share == 1.0:
            return int(value)
        return round(value * self.quota_share)

    def rng_for(self, *key: object) -> random.Random:
        """A generator of its own for one part (e.g. a county's households): the same for the same seed,
        whatever else the run generates, so a run for one county gives that county what a city run does."""
        return random.Random("/".join([str(self.seed), *(str(k) for k in key)]))

    def covers(self, code: str) -> bool:
        return code.startswith(self.prefix)

    def analyze(self, *tables: str) -> None:
        """Fresh planner statistics for tables that grew during the run (PostgreSQL; ANALYZE inside the run's
        transaction sees its own rows). Without them a later INSERT … SELECT over them is planned as if they
        were empty: the lists' helper recount of a city ran for half an hour instead of seconds."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
               streamed: bool = False) -> int:
        """Set-based insert (COPY on PostgreSQL), counted and timed per table for the run's report.

        A list is written at once. Any other iterable (a generator reading the database as it goes) is drawn
        INSERT_BATCH rows at a time, each batch written before the next is drawn: a step's memory is one batch,
        not its table (the ledger's 7.8 M visits of 山东 held 1.5 GB as one list), and the generator's reads
        never fall in the middle of a COPY. `streamed`: a generator that never reads the database goes into
        one COPY row by row as it is made (PostgreSQL; SQLite takes it whole)."""
        if streamed or isinstance(rows, list | tuple):
            return self._insert(table, columns, rows)
        count, source = 0, iter(rows)
        while batch := list(islice(source, INSERT_BATCH)):
            count += self._insert(table, columns, batch)
        return count

    def _insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        from wuzaicun.tabular.bulk import insert_rows

        started = time.perf_counter()
        count = insert_rows(table, columns, rows)
        self.seconds[table] += time.perf_counter() - started
        self.rows[table] += count
        return count


StepFunction = Callable[[SynthContext], None]


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    func: StepFunction
    label: str


_STEPS: dict[str, Step] = {}


def register_step(name: str, order: int, func: StepFunction, *, label: str = "") -> None:
    """Add (or replace, by name) a step; steps run by `order`, then name. Leave gaps for later apps."""
    _STEPS[name] = Step(name=name, order=order, func=func, label=label or name)


def registered_steps() -> list[Step]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


@dataclass
class StepReport:
    step: Step
    seconds: float
    rows: dict[str, int]


def new_context(
    *, scale: str, seed: int, year: int, prefix: str | None = None, log: Callable[[str], None] = _silent
) -> SynthContext:
    """Check the arguments and build the context a run starts from."""
    if scale not in SCALES:
        raise SynthRefused(f"规模“{scale}”无效，可选：{'、'.join(SCALES)}")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise SynthRefused(f"年度 {year} 不在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间")
    universe = SCALES[scale]
    prefix = (prefix or universe).strip()
    if scale == "country":  # one province at a time: the province is the run's universe
        if not (prefix.isdigit() and len(prefix) in (2, 4, 6) and prefix[:2] in COUNTRY_PROVINCES):
            raise SynthRefused(f"区划前缀“{prefix}”须为省（2位）、市（4位）或县（6位）代码前缀")
        universe = prefix[:2]
        from wuzaicun.regions.national import GUIZHOU_POOR, national_poor_targets

        share = national_poor_targets()[universe] / GUIZHOU_POOR
    if not (prefix.isdigit() and len(prefix) in (2, 4, 6) and prefix.startswith(universe)):
        raise SynthRefused(f"区划前缀“{prefix}”须为 {universe} 之下的市（4位）或县（6位）代码前缀")
    return SynthContext(seed=seed, year=year, scale=scale, prefix=prefix, universe=universe, rng=random.Random(seed),
                        log=log, quota_share=share if scale == "country" else 1.0)


def _peak_memory() -> str:
    """The process's peak resident memory so far, for the step's log line (where the platform tells it)."""
    try:
        import resource
    except ImportError:  # Windows
        return ""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return f"，进程内存峰值 {peak:,.0f} MB"


def run_steps(ctx: SynthContext) -> list[StepReport]:
    """Run every registered step in order; the caller holds the transaction."""
    reports: list[StepReport] = []
    for step in registered_steps():
        before = dict(ctx.rows)
        started = time.perf_counter()
        ctx.log(f"… {step.label}")
        step.func(ctx)
        seconds = time.perf_counter() - started
        written = {t: n - before.get(t, 0) for t, n in ctx.rows.items() if n != before.get(t, 0)}
        reports.append(StepReport(step=step, seconds=seconds, rows=written))
        detail = "，".join(f"{t} {n:,} 行" for t, n in written.items()) or "无新增"
        ctx.log(f"  {step.label}：{detail}（{seconds:.1f} 秒{_peak_memory()}）")
    return reports


def generate(
    *,
    actor: Any,
    scale: str,
    seed: int,
    year: int,
    prefix: str | None = None,
    log: Callable[[str], None] = _silent,
) -> tuple[SynthContext, list[StepReport]]:
    """Generate the synthetic data set in one transaction, with one audit row for the run (the country scale: one
    transaction and one audit row per province)."""
    if scale == "country":
        return _generate_country(actor=actor, seed=seed, year=year, prefix=prefix, log=log)
    ctx = new_context(scale=scale, seed=seed, year=year, prefix=prefix, log=log)
    _generate_in_transaction(ctx, actor=actor, scale=scale, seed=seed, year=year)
    tally.fold()  # the run's counts into the tallies' folded rows (D47)
    if connection.vendor == "postgresql":  # fresh statistics after a bulk load, or the planner guesses
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ctx, ctx.shared["_reports"]


def _generate_in_transaction(ctx: SynthContext, *, actor: Any, scale: str, seed: int, year: int) -> None:
    from wuzaicun.audit.models import Action
    from wuzaicun.audit.services import record

    with (transaction.atomic(durable=True), generation.one_bump_for_bulk(connection),
          tally.counted_after_bulk(connection)):
        reports = run_steps(ctx)
        total = "，".join(f"{t} {n}" for t, n in ctx.rows.items())
        record(
            actor=actor,
            action=Action.IMPORT,
            object_type="synth",
            object_id=f"{scale}:{ctx.prefix}:{year}:{seed}",
            region_code=ctx.prefix.ljust(12, "0"),
            summary=f"生成合成数据（{SCALE_LABELS[scale]}，区划前缀 {ctx.prefix}，{year}年，种子 {seed}）：{total}",
            changes={table: [None, count] for table, count in ctx.rows.items()},
        )
    ctx.shared["_reports"] = reports


def _generate_country(
    *, actor: Any, seed: int, year: int, prefix: str | None, log: Callable[[str], None]
) -> tuple[SynthContext, list[StepReport]]:
    """Province after province, each committed on its own; a province already generated for the year is skipped,
    so a run stopped midway is resumed by running it again. Returns a context holding the totals."""
    prefix = (prefix or "").strip()
    if prefix:
        new_context(scale="country", seed=seed, year=year, prefix=prefix)  # checks the prefix
    provinces = [p for p in COUNTRY_PROVINCES if p.startswith(prefix[:2])]
    total = SynthContext(seed=seed, year=year, scale="country", prefix=prefix, universe="", rng=random.Random(seed),
                         log=log)
    reports: list[StepReport] = []
    for province in provinces:
        ctx = new_context(scale="country", seed=seed, year=year, prefix=prefix or province, log=log)
        log(f"省级区划 {province}：")
        try:
            _generate_in_transaction(ctx, actor=actor, scale="country", seed=seed, year=year)
        except AlreadyGenerated:
            log(f"  区划 {province} 已生成过{year}年度的合成数据，跳过")
            total.shared.setdefault("skipped", []).append(province)
            continue
        tally.fold()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        reports.extend(ctx.shared["_reports"])
        for table, count in ctx.rows.items():
            total.rows[table] += count
            total.seconds[table] += ctx.seconds[table]
        total.shared.setdefault("provinces", []).append(province)
        del ctx
        gc.collect()  # the province's maps go before the next province's are built
    if not total.shared.get("provinces"):
        raise AlreadyGenerated(f"区划前缀“{prefix or '全国'}”下各省{year}年度的合成数据均已存在，未重复生成")
    return total, reports
