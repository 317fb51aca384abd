"""Unit (单位), LeadershipTeam (领导班子), Person (人员), Household (农户)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models

from wuzaicun.core.bounds import range_of
from wuzaicun.core.tally import Tally

from .fields import open_phone, open_resident_id


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, default="")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT,
                               db_index=False)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_region_name")]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "中共党员", "中共党员"
    PROBATIONARY = "中共预备党员", "中共预备党员"
    LEAGUE = "共青团员", "共青团员"
    DEMOCRATIC_PARTY = "民主党派", "民主党派"
    NONE = "群众", "群众"


PARTY_STATUSES = (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)  # 党员: full and probationary


class Rank(models.TextChoices):
    CITY_LEADER = "市级领导", "市级领导"
    COUNTY_LEVEL = "县处级", "县处级"
    TOWNSHIP_LEVEL = "乡科级", "乡科级"
    ORDINARY_CADRE = "一般干部", "一般干部"
    VILLAGE_CADRE = "村干部", "村干部"
    RURAL_PARTY_MEMBER = "农村党员", "农村党员"
    CAPABLE_PARTY_MEMBER = "能人党员", "能人党员"
    PROFESSIONAL = "专业人才", "专业人才"


class Person(models.Model):
    name = models.CharField("姓名", max_length=50)
    resident_id_sealed = models.BinaryField("身份证号（密文）")
    resident_id_hash = models.CharField("身份证号索引", max_length=64)  # unique: see Meta
    resident_id_masked = models.CharField("身份证号", max_length=18)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    political_status = models.CharField(
        "政治面貌", max_length=10, choices=PoliticalStatus.choices, default=PoliticalStatus.NONE
    )
    party_since = models.DateField("入党时间", null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="工作单位", null=True, blank=True, on_delete=models.PROTECT)
    post = models.CharField("职务", max_length=100, blank=True, default="")
    rank = models.CharField("职级", max_length=10, choices=Rank.choices, blank=True, default="")
    phone_sealed = models.BinaryField("联系电话（密文）", null=True, blank=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True, default="")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               db_index=False)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["region_id", "name", "id"]
        indexes = [
            models.Index(fields=["region", "rank"], name="person_region_rank"),
            models.Index(fields=["name"], name="person_name"),
        ]
        # a constraint rather than unique=True: PostgreSQL then builds the one index equality needs, not also a
        # LIKE index (varchar_pattern_ops) that no lookup of a digest uses (D51)
        constraints = [models.UniqueConstraint(fields=["resident_id_hash"], name="person_unique_resident_id")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party_member(self) -> bool:
        return self.political_status in PARTY_STATUSES

    def reveal_resident_id(self) -> str:
        """The full number; callers are services that audit the reveal."""
        return open_resident_id(self.resident_id_sealed)

    def reveal_phone(self) -> str:
        return open_phone(self.phone_sealed)


class PovertyStatus(models.TextChoices):
    POOR = "未脱贫", "未脱贫"
    EXITED = "已脱贫", "已脱贫"


class PovertyCause(models.TextChoices):
    ILLNESS = "因病", "因病"
    DISABILITY = "因残", "因残"
    SCHOOLING = "因学", "因学"
    DISASTER = "因灾", "因灾"
    LAND = "缺土地", "缺土地"
    WATER = "缺水", "缺水"
    SKILLS = "缺技术", "缺技术"
    LABOUR = "缺劳力", "缺劳力"
    CAPITAL = "缺资金", "缺资金"
    TRANSPORT = "交通条件落后", "交通条件落后"
    MOTIVATION = "自身发展动力不足", "自身发展动力不足"
    OTHER = "其他", "其他"


class Household(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name="村", on_delete=models.PROTECT, db_index=False)
    head_name = models.CharField("户主姓名", max_length=50)
    resident_id_sealed = models.BinaryField("身份证号（密文）")
    resident_id_hash = models.CharField("身份证号索引", max_length=64)  # unique: see Meta
    resident_id_masked = models.CharField("身份证号", max_length=18)
    members = models.PositiveSmallIntegerField("家庭人口")
    status = models.CharField("贫困状态", max_length=4, choices=PovertyStatus.choices, default=PovertyStatus.POOR)
    identified_year = models.PositiveSmallIntegerField("识别年度")
    exit_year = models.PositiveSmallIntegerField("脱贫年度", null=True, blank=True)
    cause = models.CharField("致贫原因", max_length=10, choices=PovertyCause.choices)
    income_per_head = models.DecimalField(
        "人均纯收入（元）", max_digits=12, decimal_places=2, null=True, blank=True, default=Decimal("0")
    )
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "农户"
        verbose_name_plural = "农户"
        ordering = ["region_id", "id"]
        indexes = [models.Index(fields=["region", "status"], name="household_region_status")]
        constraints = [
            models.UniqueConstraint(fields=["resident_id_hash"], name="household_unique_resident_id"),  # D51
            models.CheckConstraint(condition=models.Q(members__gte=1), name="household_members_ge_1"),
            models.CheckConstraint(
                condition=models.Q(exit_year__isnull=True) | models.Q(exit_year__gte=models.F("identified_year")),
                name="household_exit_after_identified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}户"

    def reveal_resident_id(self) -> str:
        return open_resident_id(self.resident_id_sealed)


class HouseholdTally(Tally):
    """农户 counted per village, identification year and exit year (D47): what the province's and the nation's
    figures read."""

    identified_year = models.PositiveSmallIntegerField("识别年度")
    exit_year = models.PositiveSmallIntegerField("脱贫年度")  # 0: not exited

    counted: ClassVar[str] = "registry.Household"
    village_column: ClassVar[str] = "region_id"
    dimensions: ClassVar[tuple[str, ...]] = ("identified_year", "exit_year")

    class Meta:
        verbose_name = "农户计数"
        verbose_name_plural = "农户计数"
        constraints = [models.UniqueConstraint(fields=["village", "identified_year", "exit_year", "writer"],
                                               name="householdtally_key")]
        # what `fold` looks for: the rows of transactions not folded yet (few; none once folded)
        indexes = [models.Index(fields=["writer"], condition=~models.Q(writer=0), name="householdtally_unfolded")]


class LeadershipTeam(models.Model):
    """A unit's or a city/county/township party-and-government leadership team (领导班子)."""

    name = models.CharField("班子名称", max_length=100)
    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               db_index=False)
    members = models.ManyToManyField(Person, verbose_name="成员", blank=True, related_name="teams")

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "领导班子"
        verbose_name_plural = "领导班子"
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="team_unique_region_name")]

    def __str__(self) -> str:
        return self.name



# What a form, the API and an import may store in the household's number columns.
INCOME_PER_HEAD_RANGE = range_of(Household, "income_per_head", low=0, label="人均纯收入")
