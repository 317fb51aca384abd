"""千村千人计划 talents with their villages, visit plan and visits; 项目书记 and the projects they lead (领办)
or drive (带动)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models.functions import Now

from wuzaicun.core.models import money_field
from wuzaicun.regions.models import Region


class TalentField(models.TextChoices):
    AGRICULTURE = "agriculture", "农业"
    TECHNOLOGY = "technology", "科技"
    FINANCE = "finance", "金融"
    COMMERCE = "commerce", "电商"
    EDUCATION = "education", "教育"
    HEALTH = "health", "医疗卫生"
    LAW = "law", "法律"
    OTHER = "other", "其他"


class VisitPlan(models.IntegerChoices):
    """How often a talent visits each of their villages, in days."""

    MONTHLY = 30, "每月一次"
    BIMONTHLY = 60, "每两月一次"
    QUARTERLY = 91, "每季度一次"
    HALF_YEARLY = 182, "每半年一次"


class Talent(models.Model):
    """A 千村千人计划 talent registered by a county (or city) to serve some of its villages."""

    person = models.ForeignKey("registry.Person", verbose_name="姓名", on_delete=models.PROTECT,
                               related_name="talent_records", db_index=False)
    region = models.ForeignKey("regions.Region", verbose_name="登记区划", on_delete=models.PROTECT,
                               related_name="+")
    field = models.CharField("专业领域", max_length=20, choices=TalentField.choices)
    year = models.PositiveSmallIntegerField("入选年度")
    visit_every = models.PositiveSmallIntegerField("走访计划", choices=VisitPlan.choices,
                                                   default=VisitPlan.MONTHLY)
    villages: models.ManyToManyField[Region, TalentVillage] = models.ManyToManyField("regions.Region", verbose_name="服务村", through="TalentVillage",
                                      related_name="+")

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "千村千人计划人才"
        verbose_name_plural = "千村千人计划人才"
        ordering = ["region_id", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="talent_unique_year")]

    def __str__(self) -> str:
        return str(self.person_id)


class TalentVillage(models.Model):
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="links", db_index=False)
    village = models.ForeignKey("regions.Region", verbose_name="服务村", on_delete=models.PROTECT,
                                related_name="+")

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "人才服务村"
        verbose_name_plural = "人才服务村"
        constraints = [models.UniqueConstraint(fields=["talent", "village"], name="talentvillage_unique")]

    def __str__(self) -> str:
        return f"{self.talent_id} {self.village_id}"


class TalentVisit(models.Model):
    """A talent's visit to one of their villages."""

    talent = models.ForeignKey(Talent, verbose_name="人才", on_delete=models.CASCADE, related_name="visits",
                               db_index=False)
    village = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("走访日期")
    content = models.CharField("服务内容", max_length=300)
    created_at = models.DateTimeField("登记时间", db_default=Now())

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "人才走访"
        verbose_name_plural = "人才走访"
        ordering = ["-date"]
        indexes = [models.Index(fields=["talent", "village", "date"], name="talentvisit_last")]

    def __str__(self) -> str:
        return f"{self.talent_id} {self.date}"


class ProjectSecretary(models.Model):
    """项目书记: a cadre appointed for a year to lead or drive projects in a township or village."""

    person = models.ForeignKey("registry.Person", verbose_name="姓名", on_delete=models.PROTECT,
                               related_name="project_secretary_records", db_index=False)
    region = models.ForeignKey("regions.Region", verbose_name="所在乡镇或村", on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField("年度")

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "项目书记"
        verbose_name_plural = "项目书记"
        ordering = ["region_id", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="projectsecretary_unique")]

    def __str__(self) -> str:
        return str(self.person_id)


class ProjectRole(models.TextChoices):
    LEAD = "lead", "领办"
    DRIVE = "drive", "带动"


class SecretaryProject(models.Model):
    """A project a 项目书记 leads (领办) or drives (带动) in a village."""

    secretary = models.ForeignKey(ProjectSecretary, verbose_name="项目书记", on_delete=models.CASCADE,
                                  related_name="projects")
    role = models.CharField("方式", max_length=10, choices=ProjectRole.choices)
    name = models.CharField("项目名称", max_length=200)
    village = models.ForeignKey("regions.Region", verbose_name="实施村", on_delete=models.PROTECT,
                                related_name="+")
    amount = money_field("投资额（元）", null=True)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "项目书记项目"
        verbose_name_plural = "项目书记项目"
        ordering = ["secretary_id", "id"]

    def __str__(self) -> str:
        return self.name
