"""软弱涣散党组织倒排整顿: the yearly ranking from the bottom, the confirmed list, and each case's
rectification (plan, measures, responsible county leader, deadline, progress with evidence, and the
township's then the county's sign-off through the shared review states)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.models import EvidenceFile
from wuzaicun.core.review import ReviewState


class RankingWeight(models.Model):
    """A year's weight of one ranking indicator (rules.RANKING_INDICATORS lists them with their defaults)."""

    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("指标代码", max_length=40)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2)
    enabled = models.BooleanField("启用", default=True)

    objects_unscoped = models.Manager()  # configuration, not scoped data

    class Meta:
        verbose_name = "排名指标权重"
        verbose_name_plural = "排名指标权重"
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="rankingweight_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.code}"


class DemocraticScore(models.Model):
    """民主评议: a village party organisation's entered score for a year (0–100)."""

    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    score = models.DecimalField("民主评议得分", max_digits=5, decimal_places=2)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "民主评议得分"
        verbose_name_plural = "民主评议得分"
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="democraticscore_unique")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"


class RoundStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    CONFIRMED = "confirmed", "已确认"


class RankingRound(models.Model):
    """A year's ranking of the village organisations of a region, the bottom N proposed, then confirmed."""

    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey("regions.Region", verbose_name="排名范围", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField("倒排数量")
    status = models.CharField("状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.PROPOSED)
    weights = models.JSONField("指标权重", default=dict)  # code → weight used, kept with the round
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("提出时间", db_default=Now())
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "倒排名单"
        verbose_name_plural = "倒排名单"
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["year", "region"], name="rankinground_unique_year_region")]

    def __str__(self) -> str:
        return f"{self.year}年倒排名单"


class RankingPick(models.Model):
    """One village of a round: its rank, score and indicator values; whether proposed and whether selected."""

    round = models.ForeignKey(RankingRound, verbose_name="倒排名单", on_delete=models.CASCADE, related_name="picks",
                              db_index=False)
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField("倒排名次")  # 1 = the weakest
    score = models.DecimalField("综合得分", max_digits=7, decimal_places=2)
    values = models.JSONField("指标值", default=dict)
    proposed = models.BooleanField("系统提出", default=False)
    selected = models.BooleanField("列入整顿", default=False)
    change_reason = models.CharField("调整理由", max_length=300, blank=True, default="")

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "倒排名次"
        verbose_name_plural = "倒排名次"
        ordering = ["round_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["round", "village"], name="rankingpick_unique")]

    def __str__(self) -> str:
        return f"{self.rank}"


class CaseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "整顿中"
    SUBMITTED = "submitted", "待验收"
    TRANSFORMED = "transformed", "已转化"


class RectificationCase(models.Model):
    """A weak village organisation's rectification for a year (整顿中 → 已转化)."""

    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    year = models.PositiveSmallIntegerField("整顿年度")
    organisation = models.ForeignKey("organization.PartyOrganisation",
                                     verbose_name="党组织", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="rectifications")
    pick = models.OneToOneField(RankingPick, verbose_name="倒排名次", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="case")
    problems = models.TextField("主要问题", blank=True, default="")
    plan = models.TextField("整顿方案", blank=True, default="")
    measures = models.TextField("整顿措施", blank=True, default="")
    leader = models.ForeignKey("registry.Person", verbose_name="责任县领导", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("整顿时限", null=True, blank=True)
    status = models.CharField("整顿状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.IN_PROGRESS)
    township_state = models.CharField("乡镇审核", max_length=10, choices=ReviewState.choices, blank=True, default="")
    township_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="乡镇审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    township_at = models.DateTimeField("乡镇审核时间", null=True, blank=True)
    township_note = models.CharField("乡镇意见", max_length=500, blank=True, default="")
    county_state = models.CharField("县级审核", max_length=10, choices=ReviewState.choices, blank=True, default="")
    county_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="县级审核人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    county_at = models.DateTimeField("县级审核时间", null=True, blank=True)
    county_note = models.CharField("县级意见", max_length=500, blank=True, default="")
    transformed_on = models.DateField("转化日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "整顿案例"
        verbose_name_plural = "软弱涣散党组织整顿"
        ordering = ["-year", "village_id"]
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="rectification_unique_village_year")]
        indexes = [models.Index(fields=["year", "status"], name="rectification_year_status")]

    def __str__(self) -> str:
        return f"{self.year}年整顿"


class CaseProgress(models.Model):
    """A progress update of a case (with its evidence files)."""

    case = models.ForeignKey(RectificationCase, verbose_name="整顿案例", on_delete=models.PROTECT,
                             related_name="progress")
    reported_on = models.DateField("日期")
    narrative = models.TextField("进展情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间", db_default=Now())

    scope_path: ClassVar[str] = "case__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "整顿进展"
        verbose_name_plural = "整顿进展"
        ordering = ["case_id", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.reported_on}"


class CaseEvidence(EvidenceFile):
    progress = models.ForeignKey(CaseProgress, verbose_name="整顿进展", on_delete=models.CASCADE,
                                 related_name="evidence")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_path: ClassVar[str] = "progress__case__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "整顿佐证材料"
        verbose_name_plural = "整顿佐证材料"
