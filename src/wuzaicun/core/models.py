"""Model pieces every app shares."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now


class EvidenceFile(models.Model):
    """A photo or PDF kept outside the database (core/evidence.py checks and stores it)."""

    path = models.CharField("存储位置", max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", db_default=Now())

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


def money_field(verbose_name: str, *, null: bool = False, default: object = models.NOT_PROVIDED) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount of money in yuan, exact to the fen (never a float): every mechanism's money columns."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, null=null, blank=null, default=default)


class DataGeneration(models.Model):
    """The data generation (数据代次): a few counter rows whose sum changes with every committed write to a
    business table (`core/generation.py` installs the triggers that bump it). Insight keys its cache by it."""

    slot = models.PositiveSmallIntegerField("槽位", primary_key=True)
    n = models.BigIntegerField("计数", default=0)

    class Meta:
        verbose_name = "数据代次"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.slot}: {self.n}"


class TableGeneration(models.Model):
    """A business table's own generation (表代次): a few counter rows per table whose sum, plus the data
    generation's base (`DataGeneration`), changes with every committed write to that table. A cached figure
    records the stamps of the tables its queries read, and stays good while none of them changes."""

    name = models.CharField("表名", max_length=100)
    slot = models.PositiveSmallIntegerField("槽位")
    n = models.BigIntegerField("计数", default=0)

    class Meta:
        verbose_name = "表代次"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="core_tablegeneration_name_slot")]

    def __str__(self) -> str:
        return f"{self.name}/{self.slot}: {self.n}"
