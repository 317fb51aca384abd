"""支部结对 (organisation ↔ organisation), 干群结亲 (cadre ↔ household) with the support they brought, and 非公企业
帮扶 (enterprises with a GB 32100 credit code helping villages, pledged and paid funds by year)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from wuzaicun.core.models import money_field
from wuzaicun.core.tally import Tally


class BranchPairing(models.Model):
    """支部结对: a unit's (or a town's) party organisation paired with a village's."""

    helper = models.ForeignKey("organization.PartyOrganisation", verbose_name="结对党组织", on_delete=models.PROTECT,
                               related_name="+", db_index=False)
    helped = models.ForeignKey("organization.PartyOrganisation", verbose_name="村党组织", on_delete=models.PROTECT,
                               related_name="+")
    since = models.PositiveSmallIntegerField("结对年度")
    until = models.PositiveSmallIntegerField("结束年度", null=True, blank=True)

    scope_path: ClassVar[str] = "helped__region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "支部结对"
        verbose_name_plural = "支部结对"
        constraints = [models.UniqueConstraint(fields=["helper", "helped", "since"], name="branchpairing_unique")]

    def __str__(self) -> str:
        return f"{self.helper_id}↔{self.helped_id}"


class KinPairing(models.Model):
    """干群结亲: a cadre and a household who became 亲戚."""

    person = models.ForeignKey("registry.Person", verbose_name="干部", on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name="结亲户", on_delete=models.PROTECT,
                                  related_name="+")
    # The household's village, kept equal to it (given where a pairing is made; a trigger moves it with the
    # household, resources/triggers.py; D46): the scope and the counts read the pairings alone, so a write to a
    # household leaves the cached 干群结亲 figures good.
    village = models.ForeignKey("regions.Region", verbose_name="所在村", on_delete=models.PROTECT, related_name="+",
                                db_index=False)  # the first column of kinpairing_village
    since = models.PositiveSmallIntegerField("结亲年度")
    until = models.PositiveSmallIntegerField("结束年度", null=True, blank=True)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "干群结亲"
        verbose_name_plural = "干群结亲"
        constraints = [models.UniqueConstraint(fields=["person", "household", "since"], name="kinpairing_unique")]
        indexes = [models.Index(fields=["since", "household"], name="kinpairing_since"),
                   models.Index(fields=["village", "household", "since", "until"], name="kinpairing_village")]

    def __str__(self) -> str:
        return f"{self.person_id}↔{self.household_id}"


class KinPairingTally(Tally):
    """干群结亲 counted per village and years (D47): what the province's and the nation's figures read."""

    since = models.PositiveSmallIntegerField("结亲年度")
    until = models.PositiveSmallIntegerField("结束年度")  # 0: not ended

    counted: ClassVar[str] = "resources.KinPairing"
    village_column: ClassVar[str] = "village_id"
    dimensions: ClassVar[tuple[str, ...]] = ("since", "until")

    class Meta:
        verbose_name = "干群结亲计数"
        verbose_name_plural = "干群结亲计数"
        constraints = [models.UniqueConstraint(fields=["village", "since", "until", "writer"],
                                               name="kinpairingtally_key")]
        # what `fold` looks for: the rows of transactions not folded yet (few; none once folded)
        indexes = [models.Index(fields=["writer"], condition=~models.Q(writer=0), name="kinpairingtally_unfolded")]


class SupportKind(models.TextChoices):
    PROJECT = "project", "项目"
    MONEY = "money", "资金"
    GOODS = "goods", "物资"


class PairingSupport(models.Model):
    """What a pairing brought in a year: a project, money or goods (valued in yuan)."""

    branch_pairing = models.ForeignKey(BranchPairing, verbose_name="支部结对", null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="supports")
    kin_pairing = models.ForeignKey(KinPairing, verbose_name="干群结亲", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="supports")
    village = models.ForeignKey("regions.Region", verbose_name="受援村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("帮扶类型", max_length=10, choices=SupportKind.choices)
    description = models.CharField("内容", max_length=300)
    amount = money_field("折合金额（元）", default=0)

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        constraints = [models.CheckConstraint(
            condition=models.Q(branch_pairing__isnull=False, kin_pairing__isnull=True)
            | models.Q(branch_pairing__isnull=True, kin_pairing__isnull=False), name="support_one_pairing")]

    def __str__(self) -> str:
        return self.description


class Enterprise(models.Model):
    """A non-public enterprise helping villages (非公企业), known by its unified social credit code."""

    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    region = models.ForeignKey("regions.Region", verbose_name="注册地", on_delete=models.PROTECT, related_name="+")

    scope_path: ClassVar[str] = "region__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "帮扶企业"
        verbose_name_plural = "帮扶企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseHelp(models.Model):
    """An enterprise's help to a village in a year: funds pledged and paid."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="helps",
                                   db_index=False)
    village = models.ForeignKey("regions.Region", verbose_name="帮扶村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    pledged = money_field("承诺资金（元）", default=0)
    paid = money_field("到位资金（元）", default=0)
    note = models.CharField("帮扶内容", max_length=300, blank=True, default="")

    scope_path: ClassVar[str] = "village__code"
    objects_unscoped = models.Manager()

    class Meta:
        verbose_name = "企业帮扶"
        verbose_name_plural = "企业帮扶"
        constraints = [models.UniqueConstraint(fields=["enterprise", "village", "year"], name="enterprisehelp_unique")]
        indexes = [models.Index(fields=["year", "village"], name="enterprisehelp_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.village_id} {self.year}"
