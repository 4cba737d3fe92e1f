"""The policy catalogue: bureaus, the five documents, their articles and measures, and clauses.

These rows are the cited, stable part of a policy. What an administrator may change
(amounts, kinds, validity windows, bureaus, conditions) is versioned in `rules`.
"""
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Bureau(models.Model):
    """A responsible unit (责任单位) under its official short name, e.g. 市经济信息委."""

    class Level(models.TextChoices):
        CITY = "city", _("Municipal")
        DISTRICT = "district", _("District / county")
        OTHER = "other", _("Other")

    short_name_zh = models.CharField(max_length=40, unique=True)
    full_name_zh = models.CharField(max_length=120)
    name_en = models.CharField(max_length=160)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.CITY)
    district = models.CharField(max_length=40, blank=True, help_text=_("For district bureaus: the district they serve."))



    def __str__(self):
        return self.short_name_zh


class Document(models.Model):
    code = models.CharField(max_length=8, unique=True)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=250)
    doc_number = models.CharField(max_length=60, blank=True)
    issuers = models.ManyToManyField(Bureau, through="DocumentIssuer", related_name="issued_documents")
    dated = models.DateField()
    published_on = models.DateField()
    published_on_estimated = models.BooleanField(
        default=False, help_text=_("The text does not print the day; an administrator should correct it.")
    )
    published_on_latest = models.DateField(
        null=True, blank=True,
        help_text=_("When the day is estimated: the last day by which the document had certainly been published."),
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text=_("Exclusive end date; empty when open-ended."))
    summary_zh = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    source_file = models.CharField(max_length=80, blank=True)
    full_text = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="document_window_ordered",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title_zh}"


class DocumentIssuer(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE)
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "bureau"], name="document_issuer_unique")]


class Article(models.Model):
    """A segment of a document (条, 款, numbered measure or section) with its exact text."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="articles")
    key = models.CharField(max_length=16)
    position = models.PositiveSmallIntegerField()
    number_zh = models.CharField(max_length=40, blank=True)
    heading_zh = models.CharField(max_length=200, blank=True)
    heading_en = models.CharField(max_length=250, blank=True)
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "key"], name="article_key_unique")]

    def __str__(self):
        return f"{self.document.code} {self.number_zh or self.key} {self.heading_zh}"

    @property
    def label_zh(self):
        return f"{self.number_zh}{self.heading_zh}".strip() or self.key


class Measure(models.Model):
    """One of the 14 numbered future-industry support measures (FIM) with its 责任单位 in printed order."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField()
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="measure")
    title_zh = models.CharField(max_length=100)
    title_en = models.CharField(max_length=160)
    bureaus = models.ManyToManyField(Bureau, through="MeasureBureau", related_name="measures")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="measure_number_unique")]

    def __str__(self):
        return f"{self.document.code}-{self.number} {self.title_zh}"


class MeasureBureau(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE)
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "bureau"], name="measure_bureau_unique")]


class Clause(models.Model):
    """An applicant-facing (or framework) clause under its catalogue code, cited to its article."""

    class Kind(models.TextChoices):
        SUBSIDY = "subsidy", _("Support")
        RECOGNITION = "recognition", _("Recognition")
        EVALUATION = "evaluation", _("Evaluation")
        OBLIGATION = "obligation", _("Obligation")
        FRAMEWORK = "framework", _("Framework (not applied for)")

    code = models.CharField(max_length=16, unique=True)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="clauses")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="clauses")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="clauses")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=250)
    quote = models.TextField(help_text=_("The clause's own words, an exact passage of its article."))
    achievement = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("What the clause rewards (就新、不重复: one achievement is supported once)."),
    )
    achievement_kind = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("How the rewarded item is identified (catalogue.achievements): a standard's number, a project number, …"),
    )
    not_combinable_with = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Codes of clauses of the same document that can reward the same item: one of them, not both."),
    )



    def __str__(self):
        return f"{self.code} {self.title_zh}"

    @property
    def evaluated(self):
        """Framework clauses describe how the policy works; nobody applies for them."""
        return self.kind != self.Kind.FRAMEWORK
