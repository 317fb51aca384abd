"""十户一体: a group of about ten households of a village headed by a 党群连心户 (a 能人党员's household), and the
business entities tied to it (龙头企业, 家庭农场, 合作社, 种养大户)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models.functions import Now


class TenHouseholdGroup(models.Model):
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    name = models.CharField("小组名称", max_length=100)
    head = models.ForeignKey("registry.Person", verbose_name="党群连心户户长", on_delete=models.PROTECT,
                             related_name="headed_groups")
    head_household = models.ForeignKey("registry.Household", verbose_name="党群连心户", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    formed_on = models.DateField("成立日期")
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "十户一体小组"
        verbose_name_plural = "十户一体小组"
        ordering = ["village_id", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="group_unique_village_name")]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A member household; a household belongs to one group at most."""

    group = models.ForeignKey(TenHouseholdGroup, verbose_name="小组", on_delete=models.CASCADE, related_name="members")
    household = models.OneToOneField("registry.Household", verbose_name="成员户", on_delete=models.PROTECT,
                                     related_name="ten_household_group")

    scope_path: ClassVar[str] = "group__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "十户一体成员户"
        verbose_name_plural = "十户一体成员户"

    def __str__(self) -> str:
        return f"{self.group_id} {self.household_id}"


class BusinessKind(models.TextChoices):
    LEADING = "leading", "龙头企业"
    FAMILY_FARM = "family_farm", "家庭农场"
    COOPERATIVE = "cooperative", "合作社"
    GROWER = "grower", "种养大户"


class GroupEntity(models.Model):
    """A business entity tied to a group."""

    group = models.ForeignKey(TenHouseholdGroup, verbose_name="小组", on_delete=models.CASCADE, related_name="entities",
                              db_index=False)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=15, choices=BusinessKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, default="")

    scope_path: ClassVar[str] = "group__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "十户一体经营主体"
        verbose_name_plural = "十户一体经营主体"
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="groupentity_unique_name")]

    def __str__(self) -> str:
        return self.name
