"""Fund-use decisions (资金使用决策) for leftover unit funds and donations, by 四议两公开 (or the configured 党群直议制
variant): each step in order with its date, attendance, votes and minutes; quorums and majorities checked in
rules/decisions.py; publicity for at least the configured days, and no payment before the resolution's has run."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.models import EvidenceFile, money_field


class FundKind(models.TextChoices):
    LEFTOVER = "leftover", "单位帮扶结余资金"
    DONATION = "donation", "捐赠资金"


class DecisionFlow(models.TextChoices):
    FOUR_TWO = "four_two", "四议两公开"
    DIRECT = "direct", "党群直议制"


class DecisionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "进行中"
    REJECTED = "rejected", "未通过"
    DONE = "done", "已完成"


class FundDecision(models.Model):
    """One use of a fund decided by the village; `step` is the last step recorded (rules/decisions.py lists a
    flow's steps in order)."""

    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("事项", max_length=200)
    fund_kind = models.CharField("资金类型", max_length=10, choices=FundKind.choices)
    amount = money_field("金额（元）")
    flow = models.CharField("决策程序", max_length=10, choices=DecisionFlow.choices, default=DecisionFlow.FOUR_TWO)
    step = models.CharField("当前环节", max_length=30, blank=True, default="")
    status = models.CharField("状态", max_length=15, choices=DecisionStatus.choices,
                              default=DecisionStatus.IN_PROGRESS)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "资金使用决策"
        verbose_name_plural = "资金使用决策"
        ordering = ["-year", "village_id", "id"]
        indexes = [models.Index(fields=["year", "village"], name="decision_year_village")]

    def __str__(self) -> str:
        return self.title

    @property
    def step_label(self) -> str:
        """The last step recorded, in Chinese."""
        from ..rules.decisions import STEP_LABELS

        return STEP_LABELS.get(self.step, self.step)


class DecisionStep(models.Model):
    """One step taken: a meeting (attendance against who should attend, votes) or a publicity (from, days)."""

    decision = models.ForeignKey(FundDecision, verbose_name="决策", on_delete=models.CASCADE, related_name="steps",
                                 db_index=False)
    step = models.CharField("环节", max_length=30)
    held_on = models.DateField("日期")
    meeting_kind = models.CharField("会议形式", max_length=20, blank=True, default="")  # 村民会议 / 村民代表会议 …
    eligible = models.PositiveIntegerField("应到人数", null=True, blank=True)
    present = models.PositiveIntegerField("实到人数", null=True, blank=True)
    households_represented = models.PositiveIntegerField("到会代表户数", null=True, blank=True)
    households_total = models.PositiveIntegerField("总户数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权", null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField("公示天数", null=True, blank=True)
    note = models.CharField("意见或说明", max_length=500, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", db_default=Now())

    scope_path: ClassVar[str] = "decision__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "决策环节"
        verbose_name_plural = "决策环节"
        ordering = ["decision_id", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "step"], name="decisionstep_unique")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.step}"

    @property
    def step_label(self) -> str:
        from ..rules.decisions import STEP_LABELS

        return STEP_LABELS.get(self.step, self.step)


class DecisionMinutes(EvidenceFile):
    """A step's minutes, sign-in sheet or notice photo."""

    step = models.ForeignKey(DecisionStep, on_delete=models.CASCADE, related_name="minutes")

    scope_path: ClassVar[str] = "step__decision__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "决策会议记录"
        verbose_name_plural = "决策会议记录"


class DecisionPayment(models.Model):
    """Money paid out under a decision: never before the resolution's publicity has run its days."""

    decision = models.ForeignKey(FundDecision, verbose_name="决策", on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("支付日期")
    amount = money_field("金额（元）")
    payee = models.CharField("收款方", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", db_default=Now())

    scope_path: ClassVar[str] = "decision__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "决策资金支付"
        verbose_name_plural = "决策资金支付"
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.paid_on}"
