"""村级集体经济: collective-economy entities of each village and their yearly income."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from wuzaicun.core.models import money_field


class EntityKind(models.TextChoices):
    COOPERATIVE = "cooperative", "专业合作社"
    JOINT_STOCK = "joint_stock", "股份合作公司"
    OTHER = "other", "其他"


class CollectiveEntity(models.Model):
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=EntityKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "村集体经济实体"
        verbose_name_plural = "村集体经济实体"
        ordering = ["village_id", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="entity_unique_village_name")]

    def __str__(self) -> str:
        return self.name


class EntityIncome(models.Model):
    entity = models.ForeignKey(CollectiveEntity, verbose_name="实体", on_delete=models.CASCADE, related_name="incomes",
                               db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    operating_income = money_field("经营收入（元）", default=0)
    collective_income = money_field("集体收入（元）", default=0)

    scope_path: ClassVar[str] = "entity__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "实体年度收入"
        verbose_name_plural = "实体年度收入"
        ordering = ["year", "entity_id"]
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="entityincome_unique")]
        indexes = [models.Index(fields=["year"], name="entityincome_year")]

    def __str__(self) -> str:
        return f"{self.year}"
