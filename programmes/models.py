"""Running a measure as a programme: calls for applications (申报批次) with their window, guide and materials,
and the working-day time limits of each review stage.

A call opens and closes at a minute (Asia/Shanghai); a call without a closing time is rolling (常年受理).
An application can be submitted only while a call for its clause is open; the database decides a
submission in flight at the closing minute by its commit time (subsidies' migration adds the trigger).
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=250, blank=True)
    clauses = models.ManyToManyField("catalogue.Clause", related_name="calls")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: a rolling call (常年受理)."))
    guide_zh = models.TextField(blank=True, help_text=_("The 申报指南: who may apply, how, what happens next."))
    guide_en = models.TextField(blank=True)
    review_days = models.JSONField(
        default=dict, blank=True,
        help_text=_("Working days each review stage may take, e.g. {\"single\": 20, \"district\": 10, \"city\": 20}."))
    appeal_days = models.PositiveSmallIntegerField(default=15, help_text=_("Working days to ask for a review (复核)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                                   name="call_closes_after_it_opens"),
        ]
        indexes = [models.Index(fields=["opens_at", "closes_at"])]

    def __str__(self):
        return self.title_zh

    @property
    def rolling(self) -> bool:
        return self.closes_at is None

    def status_at(self, at) -> str:
        if at < self.opens_at:
            return self.Status.SCHEDULED
        if self.closes_at is not None and at >= self.closes_at:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())


def template_path(instance, filename):
    return f"calls/{instance.call_id}/templates/{uuid.uuid4().hex}"


class Material(models.Model):
    """One thing an applicant must (or may) upload under a call, e.g. 申报书, 承诺书, 审计报告."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(default=0)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=160, blank=True)
    required = models.BooleanField(default=True)
    extensions = models.JSONField(default=list, help_text=_("Accepted file types, e.g. [\".pdf\", \".docx\"]."))
    template = models.FileField(upload_to=template_path, blank=True, help_text=_("A form to download and fill in."))
    template_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "name_zh"], name="material_name_unique_per_call")]

    def __str__(self):
        return self.name_zh


class CallEvent(models.Model):
    """A call's history: created, changed, materials added."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=30)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Budget(models.Model):
    """A measure's (or one clause's) money for a year, set by its lead bureau, in whole yuan.

    Approving commits an amount; paying moves it from committed to paid; a cancelled award releases it.
    committed + paid never exceeds the amount plus what a bureau head explicitly allowed beyond it
    (overrun, each allowance recorded with its reason) — a database constraint, under a row lock.
    """

    measure = models.ForeignKey("catalogue.Measure", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="budgets")
    clause = models.ForeignKey("catalogue.Clause", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="budgets")
    year = models.PositiveSmallIntegerField()
    amount_yuan = models.BigIntegerField()
    committed_yuan = models.BigIntegerField(default=0)
    paid_yuan = models.BigIntegerField(default=0)
    overrun_yuan = models.BigIntegerField(default=0, help_text=_("Allowed beyond the amount by a bureau head."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(measure__isnull=False, clause__isnull=True)
                                   | Q(measure__isnull=True, clause__isnull=False), name="budget_for_measure_or_clause"),
            models.UniqueConstraint(fields=["measure", "year"], condition=Q(clause__isnull=True),
                                    name="one_budget_per_measure_year"),
            models.UniqueConstraint(fields=["clause", "year"], condition=Q(measure__isnull=True),
                                    name="one_budget_per_clause_year"),
            models.CheckConstraint(condition=Q(amount_yuan__gte=0) & Q(committed_yuan__gte=0) & Q(paid_yuan__gte=0)
                                   & Q(overrun_yuan__gte=0), name="budget_figures_not_negative"),
            models.CheckConstraint(
                condition=Q(committed_yuan__lte=F("amount_yuan") + F("overrun_yuan") - F("paid_yuan")),
                name="budget_never_overspent"),
        ]

    def __str__(self):
        return f"{self.clause_id or self.measure_id} {self.year}"

    @property
    def remaining_yuan(self) -> int:
        return self.amount_yuan + self.overrun_yuan - self.committed_yuan - self.paid_yuan


class BudgetEntry(models.Model):
    """One movement on a budget, with who and why: set, commit, pay, release, override."""

    class Kind(models.TextChoices):
        SET = "set", _("Amount set")
        COMMIT = "commit", _("Committed by an approval")
        PAY = "pay", _("Paid")
        RELEASE = "release", _("Released")
        OVERRIDE = "override", _("Allowed beyond the budget")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount_yuan = models.BigIntegerField()
    reference = models.CharField(max_length=40, blank=True, help_text=_("The application or payment it concerns."))
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["budget", "-created_at"])]
