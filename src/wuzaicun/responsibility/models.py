"""The responsibility year, its configurable rules, and the entries of the five lists (责任清单)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.bounds import range_of
from wuzaicun.core.models import EvidenceFile
from wuzaicun.core.review import ReviewState

from .duties import GoalKind, ListKind, StationedPost


class ResponsibilityYear(models.Model):
    """A year of lists: the lists are due before `due_date` (每年3月前)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    due_date = models.DateField("清单截止日期")
    # The year pages and commands open on when none is asked for; unset, the latest year of lists is.
    is_working = models.BooleanField("工作年度", default=False, db_default=False)
    created_at = models.DateTimeField("创建时间", db_default=Now())

    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "责任年度"
        verbose_name_plural = "责任年度"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["is_working"], condition=models.Q(is_working=True),
                                               name="one_working_year")]

    def __str__(self) -> str:
        return f"{self.year}年"

    @staticmethod
    def default_due_date(year: int) -> dt.date:
        return dt.date(year, 3, 1)


class RuleSetting(models.Model):
    """One of the seed's rules for one year: on or off, and its threshold where it has one."""

    year = models.ForeignKey(ResponsibilityYear, on_delete=models.CASCADE, related_name="rules",
                             db_index=False)
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
        return f"{self.year}年{self.get_kind_display()}清单条目（编号 {self.pk}）"


class AssignmentHousehold(models.Model):
    """A household an entry helps (助村 多对一, 联村 结对帮扶)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="household_links",
                                   db_index=False)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="assignment_links",
                                  db_index=False)

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


class HouseholdHelpers(models.Model):
    """How many distinct party members help a household (助村) in a year: what `household_helpers_min3` counts.

    Derived from the links, never entered: every write of the links (or of a helper's party membership)
    recounts the households it touches in its own transaction (`helper_counts.py`, D23). No row means none.
    """

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="helper_counts",
                                  db_index=False)  # the unique (household, year) index serves it
    year = models.PositiveSmallIntegerField("年度")
    helpers = models.PositiveIntegerField("助村党员数")

    scope_path: ClassVar[str] = "household__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "助村党员数"
        verbose_name_plural = "助村党员数"
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="householdhelpers_unique")]
        indexes = [models.Index(fields=["year", "helpers"], name="householdhelpers_year_helpers")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}年 {self.helpers}"


class LineStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    LOCKED = "locked", "已定账"
    FULFILLED = "fulfilled", "已销账（兑现）"
    UNFULFILLED = "unfulfilled", "已销账（未兑现）"


CLOSED = (LineStatus.FULFILLED, LineStatus.UNFULFILLED)


class LedgerLine(models.Model):
    """One commitment of an entry (责任台账): 定账 at the start of the year, 对账 each quarter, 销账 next year."""

    assignment = models.ForeignKey(Assignment, verbose_name="清单条目", on_delete=models.PROTECT,
                                   related_name="ledger_lines")
    # the entry's village, kept on the line (D50): the ledger's figures and scope read the lines without the
    # year's entries (an entry never changes village: another village is another entry)
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    year = models.PositiveSmallIntegerField("台账年度", db_index=True)
    commitment = models.CharField("承诺事项", max_length=300)
    target_value = models.DecimalField("目标值", max_digits=12, decimal_places=2, null=True, blank=True)
    target_unit = models.CharField("单位", max_length=20, blank=True, default="")
    status = models.CharField("状态", max_length=12, choices=LineStatus.choices, default=LineStatus.DRAFT)
    locked_at = models.DateTimeField("定账时间", null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="定账人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("销账时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="销账人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closing_note = models.CharField("销账说明", max_length=300, blank=True, default="")
    carried_from = models.ForeignKey("self", verbose_name="结转自", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="carried_to")
    accountability = models.BooleanField("列入问责", default=False)
    spot_check_result = models.CharField("抽查结果", max_length=14, blank=True, default="", db_default="")
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "台账条目"
        verbose_name_plural = "责任台账"
        ordering = ["year", "assignment_id", "id"]
        indexes = [models.Index(fields=["year", "status"], name="ledgerline_year_status"),
                   models.Index(fields=["village", "year"], name="ledgerline_village_year")]

    def __str__(self) -> str:
        return self.commitment

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.village_id is None and self.assignment_id is not None:  # the entry's, from the entry given
            self.village_id = self.assignment.village_id
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED


class Reconciliation(models.Model):
    """A quarter's 对账 of a ledger line: progress, a narrative, evidence; reviewed by the township."""

    line = models.ForeignKey(LedgerLine, verbose_name="台账条目", on_delete=models.PROTECT,
                             related_name="reconciliations", db_index=False)
    quarter = models.PositiveSmallIntegerField("季度")
    progress_value = models.DecimalField("完成值", max_digits=12, decimal_places=2, null=True, blank=True)
    on_track = models.BooleanField("进度正常", default=True)
    narrative = models.TextField("进展情况")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("提交时间")
    state = models.CharField("审核状态", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "line__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "季度对账"
        verbose_name_plural = "季度对账"
        ordering = ["line_id", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="reconciliation_unique_line_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="reconciliation_quarter_1_4"),
        ]
        indexes = [models.Index(fields=["state"], name="reconciliation_state")]

    def __str__(self) -> str:
        return f"{self.line_id} 第{self.quarter}季度"


class ReopenRequest(models.Model):
    """重审: a locked line reopens only on a request with a reason, approved one level up."""

    line = models.ForeignKey(LedgerLine, on_delete=models.PROTECT, related_name="reopen_requests")
    reason = models.CharField("重审理由", max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间", db_default=Now())
    decision = models.CharField("审批结果", max_length=10, default="pending",
                                choices=[("pending", "待审批"), ("approved", "同意"), ("refused", "不同意")])
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    scope_path: ClassVar[str] = "line__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "重审申请"
        verbose_name_plural = "重审申请"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"重审 {self.line_id}"


class Visit(models.Model):
    """遍访: a helper's visit to a household."""

    person = models.ForeignKey("registry.Person", verbose_name="走访人", on_delete=models.PROTECT,
                               related_name="visits", db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name="农户", on_delete=models.PROTECT,
                                  related_name="visits", db_index=False)
    visited_on = models.DateField("走访日期")
    activity = models.CharField("走访内容", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间", db_default=Now())

    scope_path: ClassVar[str] = "household__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "visited_on"], name="visit_household_date"),
                   models.Index(fields=["person", "visited_on"], name="visit_person_date")]

    def __str__(self) -> str:
        return f"{self.visited_on} 走访"


class Evidence(EvidenceFile):
    """A photo or PDF attached to a reconciliation or a visit."""

    reconciliation = models.ForeignKey(Reconciliation, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="evidence")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    region_code = models.CharField("所属区划", max_length=12)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_path: ClassVar[str] = "region_code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reconciliation__isnull=False) | models.Q(visit__isnull=False),
                name="evidence_has_owner",
            ),
        ]


# What a form, the API and an import may store in the ledger's number columns.
TARGET_VALUE_RANGE = range_of(LedgerLine, "target_value", low=0)
PROGRESS_VALUE_RANGE = range_of(Reconciliation, "progress_value", low=0)
