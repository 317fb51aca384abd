"""Writes of 三变: contributions into an entity and each year's dividend split (one transaction each, audited).

A dividend's parts are written set-based (COPY on PostgreSQL, executemany on SQLite): an entity with 100,000
shareholders is split and saved in about a second (bench/resources_dividends.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from wuzaicun.accounts.roles import Perm
from wuzaicun.accounts.scope import get_for_user, scoped
from wuzaicun.accounts.services import require_perm
from wuzaicun.audit.models import Action
from wuzaicun.audit.services import record
from wuzaicun.core.bounds import range_of
from wuzaicun.core.errors import DomainError
from wuzaicun.organization.models import CollectiveEntity
from wuzaicun.organization.selectors.economy import get_entity_for_user
from wuzaicun.registry.selectors import get_household_for_user
from wuzaicun.tabular.bulk import insert_rows

from ..models.shares import Contribution, ContributionKind, Dividend, DividendPart
from ..rules.shares import contribution_problems, split_fen

LAND_RANGE = range_of(Contribution, "land_mu", low=0, label="土地面积（亩）")
AMOUNT_RANGE = range_of(Contribution, "amount", low=0, label="折价或金额（元）")
SHARES_RANGE = range_of(Contribution, "shares", low=0, label="股份")
TOTAL_RANGE = range_of(Dividend, "total", low=0, label="分红总额")


def add_contribution(*, actor: Any, entity_id: int, household_id: int | None, kind: str, shares: Decimal,
                     contributed_on: dt.date, land_mu: Decimal | None = None, property_name: str = "",
                     amount: Decimal | None = None) -> Contribution:
    """A household of the entity's village (or the village collective, no household) puts land, property or money
    into the entity for `shares`."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    entity = get_entity_for_user(actor, entity_id)
    land_mu, amount, shares = LAND_RANGE.check(land_mu), AMOUNT_RANGE.check(amount), SHARES_RANGE.check(shares)
    problems = contribution_problems(kind=kind, land_mu=land_mu, property_name=property_name, amount=amount,
                                     shares=shares)
    if contributed_on > timezone.localdate():
        problems.append(("入股日期", "入股日期不能晚于今天"))
    if problems:
        raise DomainError("；".join(m for _, m in problems), field=problems[0][0])
    holder = "村集体"
    if household_id is not None:
        household = get_household_for_user(actor, household_id)
        if household.region_id != entity.village_id:
            raise DomainError(f"{household.head_name}户不是{entity.village.name}的农户，不能入股本村实体", field="股东户")
        holder = f"{household.head_name}户"
    with transaction.atomic(durable=True):
        contribution = Contribution.objects_unscoped.create(
            entity=entity, household_id=household_id, kind=kind, land_mu=land_mu,
            property_name=property_name.strip(), amount=amount, shares=shares, contributed_on=contributed_on)
        what = {ContributionKind.LAND: f"土地{land_mu}亩", ContributionKind.PROPERTY: f"集体资产“{property_name.strip()}”",
                ContributionKind.MONEY: f"资金{amount}元"}[ContributionKind(kind)]
        record(actor=actor, action=Action.CREATE, object_type="contribution", object_id=contribution.pk,
               region_code=entity.village_id, summary=f"{holder}以{what}入股“{entity.name}”，折{shares}股")
    return contribution


def delete_contribution(*, actor: Any, contribution_id: int) -> None:
    """Undo a contribution recorded by mistake; dividends already split keep the shares they were split by."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        contribution = get_for_user(scoped(Contribution, actor).select_related("entity", "household"), actor,
                                    pk=contribution_id)
        contribution.delete()
        holder = f"{contribution.household.head_name}户" if contribution.household else "村集体"
        record(actor=actor, action=Action.DELETE, object_type="contribution", object_id=contribution_id,
               region_code=contribution.entity.village_id,
               summary=f"删除{holder}入股“{contribution.entity.name}”的记录（{contribution.shares}股）")


@dataclass(frozen=True)
class DividendPlan:
    """A split, saved or not: the holders (None: the village collective) in order, their shares in hundredths and
    their parts in fen (integers: 100,000 holders need no Decimal each until somebody reads `parts`)."""

    entity: CollectiveEntity
    year: int
    total: Decimal
    holder_ids: list[int | None]
    units: list[int]
    fen: list[int]
    dividend: Dividend | None = None

    @property
    def holders(self) -> int:
        return len(self.holder_ids)

    @property
    def total_shares(self) -> Decimal:
        return Decimal(sum(self.units)).scaleb(-2)

    @property
    def parts(self) -> list[tuple[int | None, Decimal, Decimal]]:
        return [(h, Decimal(u).scaleb(-2), Decimal(f).scaleb(-2))
                for h, u, f in zip(self.holder_ids, self.units, self.fen, strict=True)]


def holdings(entity: CollectiveEntity, year: int) -> list[tuple[int | None, int]]:
    """Each holder's shares, in hundredths, at the end of `year`: the collective first, then households by their
    registered number. One aggregate; SQLite hands decimals back as floats, rounded here to the hundredth."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT household_id, SUM(shares) FROM {Contribution._meta.db_table} "  # noqa: S608
            "WHERE entity_id = %s AND contributed_on <= %s GROUP BY household_id",
            [entity.pk, dt.date(year, 12, 31)])
        rows = cursor.fetchall()
    held = [(h, int(v * 100) if isinstance(v, Decimal) else round(v * 100)) for h, v in rows]
    return sorted(held, key=lambda row: (row[0] is not None, row[0] or 0))


def _amount(units: int) -> str:
    return f"{units // 100}.{units % 100:02d}"


def split_dividend(*, actor: Any, entity_id: int, year: int, total: Decimal, dry_run: bool = False) -> DividendPlan:
    """Split the year's dividend of an entity by the shares held at the year's end (rules/shares.py says how the
    fen are rounded); with `dry_run` nothing is saved. A year is split once."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    entity = get_entity_for_user(actor, entity_id)
    total = TOTAL_RANGE.check(total)
    if Dividend.objects_unscoped.filter(entity=entity, year=year).exists():
        raise DomainError(f"“{entity.name}”{year}年度已分红，如需重新分配请先撤销该次分红", field="年度",
                          code="duplicate")
    held = holdings(entity, year)
    if not held:
        raise DomainError(f"“{entity.name}”截至{year}年底没有入股记录，无法分红", field="年度")
    units = [u for _, u in held]
    plan = DividendPlan(entity=entity, year=year, total=total, holder_ids=[h for h, _ in held], units=units,
                        fen=split_fen(int(total * 100), units))
    if dry_run:
        return plan
    try:
        with transaction.atomic(durable=True):
            dividend = Dividend.objects_unscoped.create(entity=entity, year=year, total=total,
                                                        total_shares=plan.total_shares, holders=plan.holders,
                                                        created_by=actor if getattr(actor, "pk", None) else None)
            insert_rows(DividendPart._meta.db_table, ("dividend_id", "household_id", "shares", "amount"),
                        ((dividend.pk, h, _amount(u), _amount(f)) for h, u, f in zip(
                            plan.holder_ids, plan.units, plan.fen, strict=True)))
            record(actor=actor, action=Action.CREATE, object_type="dividend", object_id=dividend.pk,
                   region_code=entity.village_id,
                   summary=f"“{entity.name}”{year}年度分红{total}元，按{plan.total_shares}股分给{plan.holders}个股东")
    except IntegrityError:  # split by somebody else meanwhile
        raise DomainError(f"“{entity.name}”{year}年度已分红", field="年度", code="duplicate") from None
    return replace(plan, dividend=dividend)


def cancel_dividend(*, actor: Any, dividend_id: int) -> None:
    """Undo a split (to split the year again with a corrected total), audited with what it was."""
    require_perm(actor, Perm.EDIT_RESOURCES)
    with transaction.atomic(durable=True):
        dividend = get_for_user(scoped(Dividend, actor).select_related("entity"), actor, pk=dividend_id)
        DividendPart.objects_unscoped.filter(dividend=dividend).delete()
        dividend.delete()
        record(actor=actor, action=Action.DELETE, object_type="dividend", object_id=dividend_id,
               region_code=dividend.entity.village_id,
               summary=f"撤销“{dividend.entity.name}”{dividend.year}年度分红（{dividend.total}元，{dividend.holders}个股东）")
