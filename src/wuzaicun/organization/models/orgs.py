"""Party organisations (党组织) and their members; supervisory committees (村务监督委员会); social
organisations and e-commerce service stations with the services they gave poor households."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from wuzaicun.registry.models import Person


class OrgType(models.TextChoices):
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


class OrgCategory(models.TextChoices):
    VILLAGE = "village", "村党组织"
    INDUSTRIAL_PARK = "industrial_park", "产业园区党组织"
    MIGRANT_WORKERS = "migrant_workers", "农民工聚集地党组织"
    ECOMMERCE = "ecommerce", "电商特色党支部"
    OTHER = "other", "其他"


# The new organisations the seed counts (新建党组织 in 产业园区 and 农民工聚集地).
NEW_CATEGORIES = (OrgCategory.INDUSTRIAL_PARK, OrgCategory.MIGRANT_WORKERS)


class PartyOrganisation(models.Model):
    """A party organisation (党委 / 党总支 / 党支部) in the tree, at the region it belongs to."""

    name = models.CharField("组织名称", max_length=100)
    org_type = models.CharField("组织类型", max_length=16, choices=OrgType.choices)
    category = models.CharField("类别", max_length=16, choices=OrgCategory.choices)
    product = models.CharField("特色产品", max_length=50, blank=True, default="")  # 电商特色党支部: 辣椒, 白酒, 茶叶
    parent = models.ForeignKey("self", verbose_name="上级组织", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="party_organisations", db_index=False)
    secretary = models.ForeignKey("registry.Person", verbose_name="书记", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="organisations_led")
    founded_on = models.DateField("成立日期", null=True, blank=True)
    members: models.ManyToManyField[Person, Membership] = models.ManyToManyField(
        "registry.Person", verbose_name="党员", through="Membership",
                                     related_name="party_organisations", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="partyorg_unique_region_name")]
        indexes = [models.Index(fields=["category", "region"], name="partyorg_category_region")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A party member's membership of an organisation (the person must be registered as a party member)."""

    organisation = models.ForeignKey(PartyOrganisation, verbose_name="党组织", on_delete=models.CASCADE,
                                     related_name="memberships", db_index=False)
    person = models.ForeignKey("registry.Person", verbose_name="党员", on_delete=models.PROTECT,
                               related_name="memberships")
    joined_on = models.DateField("转入日期", null=True, blank=True)

    scope_path: ClassVar[str] = "organisation__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "组织关系"
        verbose_name_plural = "组织关系"
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.person_id}"


class SupervisoryCommittee(models.Model):
    """村务监督委员会: one per village."""

    village = models.OneToOneField("regions.Region", verbose_name="村", on_delete=models.PROTECT,
                                   related_name="supervisory_committee")
    founded_on = models.DateField("成立日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "村务监督委员会"
        verbose_name_plural = "村务监督委员会"
        ordering = ["village_id"]

    def __str__(self) -> str:
        return f"{self.village_id}村务监督委员会"


class CommitteeMember(models.Model):
    committee = models.ForeignKey(SupervisoryCommittee, verbose_name="村务监督委员会", on_delete=models.CASCADE,
                                  related_name="members", db_index=False)
    person = models.ForeignKey("registry.Person", verbose_name="成员", on_delete=models.PROTECT, related_name="+")
    post = models.CharField("职务", max_length=10, choices=[("chair", "主任"), ("member", "委员")], default="member")

    scope_path: ClassVar[str] = "committee__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "监委会成员"
        verbose_name_plural = "监委会成员"
        constraints = [models.UniqueConstraint(fields=["committee", "person"], name="committeemember_unique")]

    def __str__(self) -> str:
        return f"{self.committee_id}:{self.person_id}"


class CommitteeDuty(models.Model):
    """A year's duty checklist item of a committee (rules.COMMITTEE_DUTIES names the standard duties)."""

    committee = models.ForeignKey(SupervisoryCommittee, verbose_name="村务监督委员会", on_delete=models.CASCADE,
                                  related_name="duties", db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    duty = models.CharField("职责", max_length=30)
    done = models.BooleanField("已履行", default=False)
    note = models.CharField("说明", max_length=300, blank=True, default="")

    scope_path: ClassVar[str] = "committee__village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "监委会履职"
        verbose_name_plural = "监委会履职"
        constraints = [models.UniqueConstraint(fields=["committee", "year", "duty"], name="committeeduty_unique")]

    def __str__(self) -> str:
        return self.duty


class SocialOrgKind(models.TextChoices):
    COOPERATIVE = "cooperative", "专业合作社"
    ASSOCIATION = "association", "专业协会"
    SELF_MANAGEMENT = "self_management", "村民自管委"
    HARMONY = "harmony", "村民民主和谐促进会"
    OTHER = "other", "其他"


class SocialOrganisation(models.Model):
    """A social organisation of a village (专业合作社, 专业协会, 村民自管委, …)."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=SocialOrgKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "社会组织"
        verbose_name_plural = "社会组织"
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="socialorg_unique_region_name")]

    def __str__(self) -> str:
        return self.name


class EcommerceStation(models.Model):
    """电商服务站点."""

    name = models.CharField("站点名称", max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    operator = models.CharField("运营主体", max_length=100, blank=True, default="")
    opened_on = models.DateField("开办日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "电商服务站点"
        verbose_name_plural = "电商服务站点"
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="station_unique_region_name")]

    def __str__(self) -> str:
        return self.name


class ServiceKind(models.TextChoices):
    TRAINING = "training", "培训"
    MARKET = "market", "市场对接"
    SKILLS = "skills", "技能服务"
    OTHER = "other", "其他"


class ServiceRecord(models.Model):
    """A service a social organisation or an e-commerce station gave a poor household."""

    social_org = models.ForeignKey(SocialOrganisation, verbose_name="社会组织", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="services")
    station = models.ForeignKey(EcommerceStation, verbose_name="电商服务站点", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="services")
    household = models.ForeignKey("registry.Household", verbose_name="贫困户", on_delete=models.PROTECT,
                                  related_name="+")
    kind = models.CharField("服务类型", max_length=10, choices=ServiceKind.choices)
    served_on = models.DateField("服务日期")
    note = models.CharField("服务内容", max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间", db_default=Now())

    scope_path: ClassVar[str] = "household__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(social_org__isnull=False, station__isnull=True)
                           | models.Q(social_org__isnull=True, station__isnull=False)),
                name="servicerecord_one_provider",
            ),
        ]
        indexes = [models.Index(fields=["served_on"], name="servicerecord_date")]

    def __str__(self) -> str:
        return f"{self.served_on} {self.get_kind_display()}"
