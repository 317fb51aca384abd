"""Integrated projects (项目整合): several funding sources a project, planned by the county (县级统筹), managed by
the township (乡镇管理) and implemented by the village (村级实施), through 立项 → 实施 → 验收 → 完成 with evidence
at 验收, and the poor households that benefit."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.models import EvidenceFile, money_field


class FundSource(models.TextChoices):
    POVERTY = "poverty", "精准脱贫"
    ROAD = "road", "小康路"
    WATER = "water", "小康水"
    HOUSING = "housing", "小康房"
    POWER = "power", "小康电"
    TELECOM = "telecom", "小康讯"
    HAMLET = "hamlet", "小康寨"
    FOUR_IN_FARM = "four_in_farm", "四在农家·美丽乡村"
    SOCIAL = "social", "社会资金"
    OTHER = "other", "其他"


class ProjectStage(models.TextChoices):
    APPROVED = "approved", "立项"
    IMPLEMENTING = "implementing", "实施"
    ACCEPTED = "accepted", "验收"
    COMPLETED = "completed", "完成"


class Project(models.Model):
    """A project the county plans, a township manages and a village implements (the village may be named later;
    `region` is the most specific of the three and is what scopes it)."""

    name = models.CharField("项目名称", max_length=200)
    year = models.PositiveSmallIntegerField("立项年度")
    county = models.ForeignKey("regions.Region", verbose_name="统筹县", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("regions.Region", verbose_name="管理乡镇", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", verbose_name="实施村", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("阶段", max_length=15, choices=ProjectStage.choices, default=ProjectStage.APPROVED)
    approved_on = models.DateField("立项日期")
    started_on = models.DateField("开工日期", null=True, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    description = models.CharField("建设内容", max_length=500, blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "整合项目"
        verbose_name_plural = "整合项目"
        ordering = ["-year", "region_id", "id"]
        indexes = [models.Index(fields=["year", "region"], name="project_year_region")]

    def __str__(self) -> str:
        return self.name


class ProjectFunding(models.Model):
    """One source's amount in a project (yuan, exact to the fen)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="fundings",
                                db_index=False)
    source = models.CharField("资金来源", max_length=15, choices=FundSource.choices)
    amount = money_field("金额（元）")

    scope_path: ClassVar[str] = "project__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "项目资金"
        verbose_name_plural = "项目资金"
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="projectfunding_unique_source"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="projectfunding_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source}"


class ProjectBeneficiary(models.Model):
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="beneficiaries",
                                db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name="受益户", on_delete=models.PROTECT,
                                  related_name="+")

    scope_path: ClassVar[str] = "project__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "项目受益户"
        verbose_name_plural = "项目受益户"
        constraints = [models.UniqueConstraint(fields=["project", "household"], name="beneficiary_unique")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.household_id}"


class ProjectEvidence(EvidenceFile):
    """验收 evidence (photos, the acceptance report)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evidence")

    scope_path: ClassVar[str] = "project__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "项目佐证材料"
        verbose_name_plural = "项目佐证材料"
