"""六定一化 assessment of cadres: a year's indicator set per role with weights across the six 定, entered
scores where no data computes one, each cadre's composite score and grade (优/良/中/差 by thresholds and
quotas), locked once confirmed, and the outcomes approved one level up."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.review import ReviewState


class CadreRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", "第一书记"
    RESIDENT = "resident", "驻村干部"
    VILLAGE_SECRETARY = "village_secretary", "村党组织书记"


class Dimension(models.TextChoices):
    GOALS = "goals", "定工作目标"
    DUTIES = "duties", "定岗位职责"
    PERFORMANCE = "performance", "定考核实绩"
    INCENTIVE = "incentive", "定正向激励"
    DISCIPLINE = "discipline", "定惩戒约束"
    SUBJECT = "subject", "定责任主体"


class CadreIndicator(models.Model):
    """One indicator of a year's set for a role: computed by a registered person provider, or entered."""

    year = models.PositiveSmallIntegerField("年度")
    role = models.CharField("考核对象", max_length=20, choices=CadreRole.choices)
    code = models.CharField("指标代码", max_length=40)
    title = models.CharField("指标", max_length=100)
    dimension = models.CharField("六定", max_length=20, choices=Dimension.choices)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2)
    provider = models.CharField("计算来源", max_length=40, blank=True, default="")  # blank = entered

    objects_unscoped = models.Manager()  # configuration, not scoped data

    class Meta:
        verbose_name = "干部考核指标"
        verbose_name_plural = "干部考核指标"
        ordering = ["year", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "role", "code"], name="cadreindicator_unique")]

    def __str__(self) -> str:
        return self.title


class GradePolicy(models.Model):
    """A year's grade lines and quotas for a role (e.g. 优 at most 15 % of those graded)."""

    year = models.PositiveSmallIntegerField("年度")
    role = models.CharField("考核对象", max_length=20, choices=CadreRole.choices)
    excellent = models.DecimalField("优秀线", max_digits=5, decimal_places=2, default=90)
    good = models.DecimalField("良好线", max_digits=5, decimal_places=2, default=80)
    passing = models.DecimalField("合格线", max_digits=5, decimal_places=2, default=60)
    excellent_quota = models.DecimalField("优秀比例上限（%）", max_digits=5, decimal_places=2, default=15)
    good_quota = models.DecimalField("良好比例上限（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    veto = models.DecimalField("民主评议否决线", max_digits=5, decimal_places=2, null=True, blank=True, default=60)

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "等次规则"
        verbose_name_plural = "等次规则"
        constraints = [models.UniqueConstraint(fields=["year", "role"], name="gradepolicy_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.role}"


class CadreScore(models.Model):
    """An entered score (民主评议, 群众满意度, …) of a cadre on an entered indicator, 0–100."""

    indicator = models.ForeignKey(CadreIndicator, verbose_name="指标", on_delete=models.CASCADE,
                                  related_name="entered", db_index=False)
    person = models.ForeignKey("registry.Person", verbose_name="姓名", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("录入时间", db_default=Now())

    scope_path: ClassVar[str] = "person__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "干部录入得分"
        verbose_name_plural = "干部录入得分"
        constraints = [models.UniqueConstraint(fields=["indicator", "person"], name="cadrescore_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.person_id}"


class GradeStatus(models.TextChoices):
    DRAFT = "draft", "待确认"
    CONFIRMED = "confirmed", "已确认"
    LOCKED = "locked", "已锁定"


class CadreGrade(models.Model):
    """A cadre's assessment for a year and role: indicator scores, composite, rank, grade; the village or
    township the cadre serves is the scope."""

    year = models.PositiveSmallIntegerField("年度")
    role = models.CharField("考核对象", max_length=20, choices=CadreRole.choices)
    person = models.ForeignKey("registry.Person", verbose_name="姓名", on_delete=models.PROTECT,
                               related_name="cadre_grades")
    region = models.ForeignKey("regions.Region", verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField("各项得分", default=dict)  # indicator code → "87.50"; a missing one is absent
    missing = models.JSONField("缺少数据的指标", default=list)
    # how the grade was set: {"weights": {code: "20.00"}, "policy": {...}, "how": ["综合得分 … ≥ 优秀线 90", …]}
    basis = models.JSONField("等次依据", default=dict)
    total = models.DecimalField("综合得分", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    grade = models.CharField("等次", max_length=1, blank=True, default="")  # verification.Grade values
    status = models.CharField("状态", max_length=10, choices=GradeStatus.choices, default=GradeStatus.DRAFT)
    computed_at = models.DateTimeField("计算时间", db_default=Now())
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "干部考核结果"
        verbose_name_plural = "干部考核结果"
        ordering = ["year", "role", "rank"]
        constraints = [models.UniqueConstraint(fields=["year", "role", "person"], name="cadregrade_unique")]
        indexes = [models.Index(fields=["year", "role", "region"], name="cadregrade_year_region")]

    def __str__(self) -> str:
        return f"{self.year} {self.person_id} {self.grade}"


class OutcomeKind(models.TextChoices):
    PROMOTION = "promotion", "推荐进入乡镇领导班子"
    TREATMENT = "treatment", "享受副科级待遇"
    ACCOUNTABILITY = "accountability", "问责"
    ORG_HANDLING = "org_handling", "组织处理"


class CadreOutcome(models.Model):
    """An outcome of a confirmed grade, proposed and approved one level up (shared review states)."""

    grade = models.ForeignKey(CadreGrade, verbose_name="考核结果", on_delete=models.PROTECT,
                              related_name="outcomes", db_index=False)
    kind = models.CharField("结果运用", max_length=20, choices=OutcomeKind.choices)
    reason = models.CharField("理由", max_length=300)
    state = models.CharField("审批状态", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField("提出时间", db_default=Now())
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    note = models.CharField("审批意见", max_length=300, blank=True, default="")

    scope_path: ClassVar[str] = "grade__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "考核结果运用"
        verbose_name_plural = "考核结果运用"
        ordering = ["-proposed_at"]
        constraints = [models.UniqueConstraint(fields=["grade", "kind"], name="outcome_unique_kind")]

    def __str__(self) -> str:
        return f"{self.grade_id} {self.kind}"
