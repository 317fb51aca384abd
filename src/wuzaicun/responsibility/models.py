"""The responsibility year, its configurable rules, and the entries of the five lists (责任清单)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from .duties import GoalKind, ListKind, StationedPost


class ResponsibilityYear(models.Model):
    """A year of lists: the lists are due before `due_date` (每年3月前)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    due_date = models.DateField("清单截止日期")
    created_at = models.DateTimeField("创建时间", db_default=Now())

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "责任年度"
        verbose_name_plural = "责任年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"

    @staticmethod
    def default_due_date(year: int) -> dt.date:
        return dt.date(year, 3, 1)


class RuleSetting(models.Model):
    """One of the seed's rules for one year: on or off, and its threshold where it has one."""

    year = models.ForeignKey(ResponsibilityYear, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField("规则代码", max_length=40)
    enabled = models.BooleanField("启用", default=True)
    threshold = models.PositiveIntegerField("阈值", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "规则设置"
        verbose_name_plural = "规则设置"
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="rulesetting_unique_year_code")]

    def __str__(self) -> str:
        return f"{self.year_id} {self.code}"


class Assignment(models.Model):
    """An entry of one of the five lists: who, for which village (and households), which duties, what goal."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    kind = models.CharField("清单类型", max_length=12, choices=ListKind.choices)
    person = models.ForeignKey(
        "registry.Person", verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="assignments",
    )
    team = models.ForeignKey(
        "registry.LeadershipTeam", verbose_name="责任主体（领导班子）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="assignments",
    )
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    households: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "registry.Household", verbose_name="帮扶户", through="AssignmentHousehold", related_name="assignments",
        blank=True,
    )
    stationed_post = models.CharField("驻村身份", max_length=8, choices=StationedPost.choices, blank=True, default="")
    duties = models.JSONField("职责", default=list)
    goal = models.CharField("目标", max_length=300, blank=True, default="")
    goal_kind = models.CharField("目标类型", max_length=10, choices=GoalKind.choices, blank=True, default="")
    created_at = models.DateTimeField("录入时间", db_default=Now())
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "责任清单条目"
        verbose_name_plural = "责任清单条目"
        ordering = ["year", "kind", "village_id", "id"]
        indexes = [
            models.Index(fields=["year", "kind", "village"], name="assignment_year_kind_village"),
            models.Index(fields=["year", "person"], name="assignment_year_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, team__isnull=True)
                | models.Q(person__isnull=True, team__isnull=False),
                name="assignment_person_xor_team",
            ),
            models.UniqueConstraint(
                fields=["year", "kind", "person", "village"], condition=models.Q(person__isnull=False),
                name="assignment_unique_person_entry",
            ),
            models.UniqueConstraint(
                fields=["year", "kind", "team", "village"], condition=models.Q(team__isnull=False),
                name="assignment_unique_team_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}清单 #{self.pk}"


class AssignmentHousehold(models.Model):
    """A household an entry helps (助村 多对一, 联村 结对帮扶)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="household_links")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="assignment_links")

    scope_path: ClassVar[str] = "assignment__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "帮扶户"
        verbose_name_plural = "帮扶户"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "household"], name="assignmenthousehold_unique"),
        ]
        indexes = [models.Index(fields=["household", "assignment"], name="assignmenthousehold_household")]

    def __str__(self) -> str:
        return f"{self.assignment_id}→{self.household_id}"
