"""Region (行政区划) and VillageYear (村情)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from wuzaicun.accounts.roles import ADMINISTRATION, Perm


class Level(models.IntegerChoices):
    PROVINCE = 1, "省"
    CITY = 2, "市（州）"
    COUNTY = 3, "县（市、区）"
    TOWNSHIP = 4, "乡（镇、街道）"
    VILLAGE = 5, "村（社区）"


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    urban_rural_code = models.CharField("城乡分类代码", max_length=3, blank=True, default="")

    scope_path: ClassVar[str] = "code"
    scope_perms: ClassVar[tuple[Perm, ...]] = ADMINISTRATION  # public names of places
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="region_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Demonstration(models.TextChoices):
    NONE = "", "否"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class VillageYear(models.Model):
    """A village's facts for one year (村情): poor village, exit year, weak organisation, minority, demo site."""

    village = models.ForeignKey(Region, verbose_name="村", on_delete=models.PROTECT, related_name="years",
                                db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    is_poor = models.BooleanField("贫困村", default=False)
    exit_year = models.PositiveSmallIntegerField("出列年度", null=True, blank=True)
    is_weak_organisation = models.BooleanField("软弱涣散", default=False)
    is_ethnic_minority = models.BooleanField("少数民族村", default=False)
    demonstration = models.CharField(
        "示范点", max_length=12, choices=Demonstration.choices, blank=True, default=""
    )
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "村情"
        verbose_name_plural = "村情"
        ordering = ["village_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="villageyear_unique_village_year"),
        ]
        indexes = [models.Index(fields=["year", "is_poor"], name="villageyear_year_poor")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"
