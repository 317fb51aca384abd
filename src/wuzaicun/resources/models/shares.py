"""三变 (资源变资产、资金变股金、农民变股东): land, collective property and money put into an entity as shares, and
each year's dividend split by shares to the fen (largest remainder, rules/shares.py)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.models import money_field


class ContributionKind(models.TextChoices):
    LAND = "land", "土地"
    PROPERTY = "property", "集体资产"
    MONEY = "money", "资金"


class Contribution(models.Model):
    """What a shareholder put into an entity and the shares it earned; a null household is the village collective
    (村集体). A shareholder's holding is the sum of their contributions' shares."""

    entity = models.ForeignKey("organization.CollectiveEntity", verbose_name="入股实体", on_delete=models.PROTECT,
                               related_name="contributions", db_index=False)  # (entity, household) serves it
    household = models.ForeignKey("registry.Household", verbose_name="股东户", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("入股方式", max_length=10, choices=ContributionKind.choices)
    land_mu = models.DecimalField("土地面积（亩）", max_digits=12, decimal_places=2, null=True, blank=True)
    property_name = models.CharField("资产名称", max_length=200, blank=True, default="")
    amount = money_field("折价或金额（元）", null=True)
    shares = models.DecimalField("股份", max_digits=14, decimal_places=2)
    contributed_on = models.DateField("入股日期")

    scope_path: ClassVar[str] = "entity__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "三变入股"
        verbose_name_plural = "三变入股"
        indexes = [models.Index(fields=["entity", "household"], name="contribution_holder")]
        constraints = [models.CheckConstraint(condition=models.Q(shares__gt=0), name="contribution_shares_positive")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.household_id}"


class Dividend(models.Model):
    """An entity's dividend for a year, split by shares; the parts add up to the total to the fen."""

    entity = models.ForeignKey("organization.CollectiveEntity", verbose_name="实体", on_delete=models.PROTECT,
                               related_name="dividends", db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    total = money_field("分红总额（元）")
    total_shares = models.DecimalField("总股份", max_digits=16, decimal_places=2)
    holders = models.PositiveIntegerField("股东数")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分配人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("分配时间", db_default=Now())

    scope_path: ClassVar[str] = "entity__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "三变分红"
        verbose_name_plural = "三变分红"
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="dividend_unique_year")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.year}"


class DividendPart(models.Model):
    """One shareholder's part of a dividend (null household: the village collective)."""

    # the unique (dividend, household) index serves look-ups by dividend: no second index to write 100,000 times
    dividend = models.ForeignKey(Dividend, verbose_name="分红", on_delete=models.CASCADE, related_name="parts",
                                 db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name="股东户", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    shares = models.DecimalField("股份", max_digits=14, decimal_places=2)
    amount = money_field("分红金额（元）")

    scope_path: ClassVar[str] = "dividend__entity__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "分红明细"
        verbose_name_plural = "分红明细"
        constraints = [models.UniqueConstraint(fields=["dividend", "household"], name="dividendpart_unique")]

    def __str__(self) -> str:
        return f"{self.dividend_id} {self.household_id}"
