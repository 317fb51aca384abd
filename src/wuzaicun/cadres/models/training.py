"""Training (培训): sessions held by a city or a county for target groups, and who attended."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models.functions import Now


class TrainingLevel(models.TextChoices):
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class TargetGroup(models.TextChoices):
    """Who a session is for; selectors/training.py says who belongs to each group in a year."""

    COUNTY_LEADERS = "county_leaders", "县处级领导干部"
    TOWNSHIP_HEADS = "township_heads", "贫困乡镇党政一把手"
    DISPATCHED = "dispatched", "第一书记和驻村干部"
    VILLAGE_CADRES = "village_cadres", "村干部"


class TrainingSession(models.Model):
    """培训班: held by the city or a county (region), for one or more target groups."""

    name = models.CharField("培训班名称", max_length=200)
    level = models.CharField("层级", max_length=10, choices=TrainingLevel.choices)
    region = models.ForeignKey("regions.Region", verbose_name="举办区划", on_delete=models.PROTECT,
                               related_name="+", db_index=False)
    organiser = models.CharField("主办单位", max_length=100)
    topic = models.CharField("培训主题", max_length=200)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    year = models.PositiveSmallIntegerField("年度")  # the start's year, kept for the year's counts
    target_groups = models.JSONField("培训对象", default=list)  # TargetGroup values
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["year", "level"], name="training_year_level")]
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "year"], name="training_unique_name"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="training_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """One person's attendance at one session (one person-time, 人次)."""

    session = models.ForeignKey(TrainingSession, verbose_name="培训班", on_delete=models.CASCADE,
                                related_name="attendance", db_index=False)
    person = models.ForeignKey("registry.Person", verbose_name="学员", on_delete=models.PROTECT,
                               related_name="trainings", db_index=False)
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "session__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "参训记录"
        verbose_name_plural = "参训记录"
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_unique")]
        indexes = [models.Index(fields=["person", "session"], name="attendance_person")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.person_id}"
