"""Cited policy data the registers are measured against: the 附件2 indicators and the documents' targets."""
from django.db import models
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- cited policy data


class IICIndicator(models.Model):
    """A row of 附件2: a first- or second-level indicator with its points, a third-level one or a bonus item with its weight."""

    class Level(models.TextChoices):
        FIRST = "first", "一级指标"
        SECOND = "second", "二级指标"
        THIRD = "third", "三级指标"
        BONUS_GROUP = "bonus_group", "加分项"
        BONUS = "bonus", "加分项目"

    key = models.CharField(max_length=40, unique=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField()
    name_zh = models.CharField(max_length=120)
    name_en = models.CharField(max_length=200)
    points = models.PositiveSmallIntegerField(help_text=_("Points (first/second level), weight (third level), cap (bonus)."))
    document = models.CharField(max_length=8, default="IIC")
    article = models.CharField(max_length=16, default="A2")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text=_("Exclusive end date; empty when open-ended."))

    def __str__(self):
        return f"{self.key} {self.name_zh} ({self.points})"


class Target(models.Model):
    """A target the documents set for a year (PIC-3, RIE 一（四）), with the measure that computes the actual figure."""

    class Op(models.TextChoices):
        GTE = "gte", "≥"
        GT = "gt", ">"

    key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    document = models.CharField(max_length=8)
    article = models.CharField(max_length=16)
    clause = models.CharField(max_length=16, blank=True)
    quote = models.TextField(help_text=_("An exact passage of the cited article."))
    name_zh = models.CharField(max_length=60)
    name_en = models.CharField(max_length=120)
    op = models.CharField(max_length=4, choices=Op.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=10)
    measure = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="one_target_per_key_and_year")]

    def __str__(self):
        return f"{self.document} {self.key} {self.year} {self.get_op_display()}{self.value}{self.unit}"
