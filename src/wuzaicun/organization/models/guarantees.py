"""组织保障: what each village is owed per year, against standards configurable per year."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from wuzaicun.core.models import money_field


class GuaranteeStandard(models.Model):
    """A year's value of one standard (rules.GUARANTEE_STANDARDS holds the codes and the seed's defaults)."""

    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("标准代码", max_length=40)
    value = money_field("标准值")

    objects_unscoped = models.Manager()  # configuration, not scoped data

    class Meta:
        verbose_name = "保障标准"
        verbose_name_plural = "保障标准"
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="guaranteestandard_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.code}"


class Guarantee(models.Model):
    """A village's guarantees for a year (money in yuan, exact to the fen; area in m²)."""

    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    cadre_monthly_pay = money_field("村干部月报酬（元）", null=True)
    operating_funds = money_field("村级组织运转经费（元/年）", null=True)
    service_funds = money_field("服务群众专项经费（元/年）", null=True)
    activity_funds_per_member = money_field("党员活动经费（元/人）", null=True)
    training_funds_per_cadre = money_field("村干部培训经费（元/人）", null=True)
    home_area = models.DecimalField("党员群众之家面积（平方米）", max_digits=9, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "组织保障"
        verbose_name_plural = "组织保障"
        ordering = ["year", "village_id"]
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="guarantee_unique_village_year")]

    def __str__(self) -> str:
        return f"{self.year}年组织保障"
