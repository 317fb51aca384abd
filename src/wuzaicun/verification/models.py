"""Quarterly spot-check plans (季度暗访抽查): the frozen population, the secret picks, the commitment."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.bounds import range_of
from wuzaicun.core.models import EvidenceFile


class PlanStatus(models.TextChoices):
    AWAITING_WITNESS = "witness", "待见证"
    DRAWN = "drawn", "已抽取（保密）"
    CLOSED = "closed", "已结束（公开）"
    VOIDED = "voided", "已作废（公开）"


# A plan whose seed is revealed: its picks and population are public (the public page, verification).
REVEALED_STATUSES = (PlanStatus.CLOSED, PlanStatus.VOIDED)
# A plan that counts for its quarter and area: a second draw overlapping it is refused.
STANDING_STATUSES = (PlanStatus.AWAITING_WITNESS, PlanStatus.DRAWN, PlanStatus.CLOSED)


class SpotCheckPlan(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    region = models.ForeignKey("regions.Region", verbose_name="抽查范围", on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField("抽查比例", max_digits=4, decimal_places=3)
    exclude_checked = models.BooleanField("排除本年已抽中的条目", default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="负责人", null=True, on_delete=models.SET_NULL,
                              related_name="+")
    inspectors: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="督查员", blank=True, related_name="spot_check_plans")
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAWN)
    witness = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="见证人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    witness_contribution = models.CharField("见证人随机数", max_length=200, blank=True, default="")
    witnessed_at = models.DateTimeField("见证时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=500, blank=True, default="")
    seed_sealed = models.BinaryField("随机种子（密文）")
    seed_commitment = models.CharField("种子承诺值 SHA-256", max_length=64)
    revealed_seed = models.CharField("公开的种子", max_length=64, blank=True, default="")
    population_hash = models.CharField("总体哈希 SHA-256", max_length=64)
    population_size = models.PositiveIntegerField("总体条目数")
    pick_count = models.PositiveIntegerField("抽中条目数")
    drawn_at = models.DateTimeField("抽取时间", db_default=Now())
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "季度抽查计划"
        verbose_name_plural = "季度抽查计划"
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="plan_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度抽查（计划编号 {self.pk}）"

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def number(self) -> str:
        """How users and the command line name a plan (`wuzaicun spotcheck close 12`)."""
        return f"计划编号 {self.pk}"

    @property
    def is_revealed(self) -> bool:
        return self.status in REVEALED_STATUSES


class PopulationMember(models.Model):
    """One entry of the frozen population, as hashed at the draw."""

    plan = models.ForeignKey(SpotCheckPlan, on_delete=models.CASCADE, related_name="population",
                             db_index=False)
    # PROTECT: an entry of a frozen population cannot be deleted, picked or not, so the refusal tells nothing.
    entry = models.ForeignKey("responsibility.Assignment", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12)
    county = models.CharField(max_length=6)

    scope_path: ClassVar[str] = "plan__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "entry"], name="population_unique_entry")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.entry_id}"


class SpotCheckPick(models.Model):
    """An entry picked for an unannounced visit (四不两直). Secret until the plan is closed."""

    plan = models.ForeignKey(SpotCheckPlan, on_delete=models.CASCADE, related_name="picks", db_index=False)
    assignment = models.ForeignKey("responsibility.Assignment", on_delete=models.PROTECT, related_name="+")
    # the entry's village, kept on the pick (D49): the pick, its finding and its sanctions are scoped and counted
    # by it without reading the year's assignments (an entry never changes village: another village is another entry)
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField("分层", max_length=30)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "抽中条目"
        verbose_name_plural = "抽中条目"
        constraints = [models.UniqueConstraint(fields=["plan", "assignment"], name="pick_unique_entry")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.assignment_id}"


class FindingResult(models.TextChoices):
    IN_PLACE = "in_place", "到位"
    MOSTLY = "mostly", "基本到位"
    NOT_IN_PLACE = "not_in_place", "不到位"


CHECKLIST = (
    ("no_notice", "不发通知"),
    ("no_greeting", "不打招呼"),
    ("no_briefing", "不听汇报"),
    ("no_escort", "不用陪同接待"),
    ("straight_to_base", "直奔基层"),
    ("straight_to_site", "直插现场"),
)


class Finding(models.Model):
    """The unannounced visit to one pick (四不两直) and what it found."""

    pick = models.OneToOneField(SpotCheckPick, on_delete=models.PROTECT, related_name="finding")
    visited_on = models.DateField("检查日期")
    inspectors: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="检查人员", related_name="+")
    checklist = models.JSONField("四不两直", default=dict)
    result = models.CharField("检查结果", max_length=14, choices=FindingResult.choices)
    notes = models.TextField("情况说明")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间", db_default=Now())

    scope_path: ClassVar[str] = "pick__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "抽查结果"
        verbose_name_plural = "抽查结果"

    def __str__(self) -> str:
        return f"{self.pick_id} {self.get_result_display()}"

    @property
    def checked_keys(self) -> list[str]:
        """The 四不两直 items ticked, for the form that corrects the finding."""
        return [key for key, done in (self.checklist or {}).items() if done]


class SanctionKind(models.TextChoices):
    RECALL = "recall", "召回"
    REASSIGN = "reassign", "组织调整"
    TALK = "talk", "约谈"
    ACCOUNTABILITY = "accountability", "问责"


class Sanction(models.Model):
    """What a 不到位 finding brings: the sanction with its decision record, and a rectification task."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField("处理方式", max_length=16, choices=SanctionKind.choices)
    decision = models.CharField("处理决定（文号或记录）", max_length=300)
    decided_on = models.DateField("决定日期")
    task = models.CharField("整改任务", max_length=500)
    deadline = models.DateField("整改期限")
    follow_up = models.CharField("整改情况", max_length=500, blank=True, default="")
    completed_on = models.DateField("整改完成日期", null=True, blank=True)

    scope_path: ClassVar[str] = "finding__pick__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "处理与整改"
        verbose_name_plural = "处理与整改"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision}"


class SubjectLevel(models.IntegerChoices):
    TOWNSHIP = 4, "乡镇"
    VILLAGE = 5, "村"


class AssessmentScheme(models.Model):
    """A year's indicator tree for villages or townships (考核指标体系); a county may have its own variant."""

    year = models.PositiveSmallIntegerField("年度")
    level = models.PositiveSmallIntegerField("考核对象", choices=SubjectLevel.choices)
    county = models.ForeignKey("regions.Region", verbose_name="县级变体", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    excellent = models.DecimalField("优秀线", max_digits=5, decimal_places=2, default=90)
    good = models.DecimalField("良好线", max_digits=5, decimal_places=2, default=80)
    passing = models.DecimalField("合格线", max_digits=5, decimal_places=2, default=60)

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "考核指标体系"
        verbose_name_plural = "考核指标体系"
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "county"], name="scheme_unique_variant"),
            models.UniqueConstraint(fields=["year", "level"], condition=models.Q(county__isnull=True),
                                    name="scheme_unique_default"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A node of the tree: weights of siblings sum to 100; a leaf is computed (provider) or entered."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="indicators",
                               db_index=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField("指标代码", max_length=40)
    title = models.CharField("指标", max_length=100)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2)
    provider = models.CharField("计算来源", max_length=40, blank=True, default="")

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["scheme_id", "parent_id", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return self.title


class EnteredScore(models.Model):
    """A score entered for an indicator no data can compute (e.g. 实地考核)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entered", db_index=False)
    subject = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(db_default=Now())

    scope_path: ClassVar[str] = "subject__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "录入得分"
        verbose_name_plural = "录入得分"
        constraints = [models.UniqueConstraint(fields=["indicator", "subject"], name="entered_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id}:{self.subject_id}"


class ResultStatus(models.TextChoices):
    DRAFT = "draft", "待确认"
    CONFIRMED = "confirmed", "已确认"
    LOCKED = "locked", "已锁定"


class Grade(models.TextChoices):
    EXCELLENT = "优", "优"
    GOOD = "良", "良"
    FAIR = "中", "中"
    POOR = "差", "差"


class AssessmentResult(models.Model):
    """One village's or township's result for the year: total, indicator scores, rank in its county, grade."""

    year = models.PositiveSmallIntegerField("年度")
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.PROTECT, related_name="results")
    subject = models.ForeignKey("regions.Region", verbose_name="考核对象", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    scores = models.JSONField("各项得分", default=dict)
    rank = models.PositiveIntegerField("县内排名")
    grade = models.CharField("等次", max_length=1, choices=Grade.choices)
    status = models.CharField("状态", max_length=10, choices=ResultStatus.choices, default=ResultStatus.DRAFT)
    computed_at = models.DateTimeField("计算时间", db_default=Now())

    scope_path: ClassVar[str] = "subject__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        ordering = ["year", "subject_id"]
        constraints = [models.UniqueConstraint(fields=["year", "subject"], name="result_unique_subject_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.subject_id} {self.total}"


class FindingEvidence(EvidenceFile):
    """A photo or PDF from an unannounced visit."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")

    scope_path: ClassVar[str] = "finding__pick__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "抽查佐证材料"
        verbose_name_plural = "抽查佐证材料"


WEIGHT_RANGE = range_of(Indicator, "weight", low=0, high=100)
SCORE_RANGE = range_of(EnteredScore, "score", low=0, high=100)
