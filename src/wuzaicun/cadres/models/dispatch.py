"""选派: 驻村工作组 and the dispatches of 第一书记 and 驻村干部, and the placements of 未脱贫乡镇党政正职上管一级
and 后备干部 in poor townships and villages.

A dispatch is active on a day when it started on or before it and has not ended before it (an open end is
still active); 群众不脱贫、干部不脱钩 is checked in rules/dispatch.py and services/dispatch.py.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models.functions import Now


class DispatchKind(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", "第一书记"
    RESIDENT = "resident", "驻村干部"


class WorkingGroup(models.Model):
    """驻村工作组: sent by a unit to a village; its members are the dispatches linked to it."""

    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    unit = models.ForeignKey("registry.Unit", verbose_name="派出单位", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey("registry.Person", verbose_name="组长", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    start = models.DateField("进驻日期")
    end = models.DateField("撤离日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "驻村工作组"
        verbose_name_plural = "驻村工作组"
        ordering = ["village_id", "-start"]
        indexes = [models.Index(fields=["village", "start"], name="group_village_start")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.start}"


class Dispatch(models.Model):
    """选派: a person sent to a village as 第一书记 or 驻村干部 by a unit, from start to end."""

    person = models.ForeignKey("registry.Person", verbose_name="姓名", on_delete=models.PROTECT,
                               related_name="dispatches", db_index=False)
    kind = models.CharField("类型", max_length=20, choices=DispatchKind.choices)
    unit = models.ForeignKey("registry.Unit", verbose_name="派出单位", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    group = models.ForeignKey(WorkingGroup, verbose_name="驻村工作组", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="dispatches")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    successor = models.ForeignKey("self", verbose_name="接任选派", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "选派"
        verbose_name_plural = "选派"
        ordering = ["village_id", "-start"]
        indexes = [
            models.Index(fields=["village", "kind", "start"], name="dispatch_village_kind"),
            models.Index(fields=["person", "start"], name="dispatch_person_start"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "village", "kind", "start"], name="dispatch_unique"),
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                   name="dispatch_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.village_id} {self.start}"


class PlacementKind(models.TextChoices):
    UPPER = "upper", "未脱贫乡镇党政正职上管一级"
    RESERVE = "reserve", "后备干部"


class Placement(models.Model):
    """A cadre placed in a poor township or village: 上管一级 (a township's 党政正职 managed one level up) or a
    后备干部 sent there to grow."""

    person = models.ForeignKey("registry.Person", verbose_name="姓名", on_delete=models.PROTECT,
                               related_name="placements")
    kind = models.CharField("类型", max_length=10, choices=PlacementKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name="乡镇或村", on_delete=models.PROTECT,
                               related_name="+")
    post = models.CharField("任职岗位", max_length=100, blank=True, default="")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True, default="")

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "上管一级与后备干部"
        verbose_name_plural = "上管一级与后备干部"
        ordering = ["region_id", "-start"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.region_id}"
