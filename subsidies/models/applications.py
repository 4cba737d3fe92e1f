"""Applications under a clause: their state, routing to a bureau, evaluations, attachments and history.

The state machine itself (states, transitions, who may do what) is declared once in
`subsidies.workflow`; these models only store.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for changes")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APPEALED = "appealed", _("Under appeal (复核)")


class Stage(models.TextChoices):
    SINGLE = "single", _("Decision by the receiving bureau")
    DISTRICT = "district", _("District 主管单位 review and recommendation")
    CITY = "city", _("Municipal decision")


class RoutingRule(models.Model):
    """Which bureau receives applications under a clause; data an administrator changes.

    `two_stage` (IIC-12): the applicant's district 主管单位 reviews and recommends first,
    then `bureau` decides.
    """

    clause = models.OneToOneField("catalogue.Clause", on_delete=models.CASCADE, related_name="routing")
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, related_name="routed_clauses")
    two_stage = models.BooleanField(default=False)
    review_days = models.JSONField(
        default=dict, blank=True,
        help_text=_("Working days each stage may take under this clause, e.g. {\"single\": 20, \"appeal\": 15}; "
                    "a call's own limits come first, PORTAL_REVIEW_WORKING_DAYS last."))
    appeal_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Working days after a rejection to ask for a review (复核); empty: the call's "
                                           "or PORTAL_APPEAL_WORKING_DAYS."))
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.clause_id} → {self.bureau}"


class Application(models.Model):
    reference = models.CharField(max_length=32, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    clause = models.ForeignKey("catalogue.Clause", on_delete=models.PROTECT, related_name="applications")
    facts = models.JSONField(default=dict)
    as_of = models.DateField(help_text=_("The date the facts are stated for (the check's as-of date)."))
    amount_requested_yuan = models.BigIntegerField(null=True, blank=True)
    amount_approved_yuan = models.BigIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    # 就新、不重复: the item the application is for, as the applicant states it, of the kind its clause rewards
    # (catalogue.achievements), and in the one form under which two statements of the same item compare equal.
    achievement_kind = models.CharField(
        max_length=40, blank=True, help_text=_("How the item supported is identified (the clause's achievement kind)."),
    )
    achievement_key = models.CharField(
        max_length=160,
        blank=True,
        help_text=_("The identifier of the item supported, as stated (e.g. GB/T 12345-2026)."),
    )
    achievement_normalised = models.CharField(
        max_length=200, blank=True, help_text=_("The identifier in its normalised form (catalogue.achievements.normalise)."),
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.DRAFT)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.SINGLE)
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    district_bureau = models.ForeignKey(
        "catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="district_applications"
    )
    call = models.ForeignKey("programmes.Call", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="applications", help_text=_("The call it was submitted under (empty: rolling)."))
    idempotency_key = models.CharField(max_length=64, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text=_("The officer who took the last decision (an appeal "
                                                                 "goes to another)."))
    # 办理时限: the working day by which the current stage should be finished (subsidies.limits); None while
    # nobody at a bureau has to act (a draft, returned to the applicant, decided).
    due_on = models.DateField(null=True, blank=True)
    due_provisional = models.BooleanField(default=False, help_text=_(
        "The due date counts a year whose holiday arrangement is not yet published."))

    class Meta:
        constraints = [
            # 就新、不重复: one item is approved once for an organisation, across clauses (the database's own
            # guard, for two approvals racing; subsidies.workflow refuses first, naming the earlier application).
            models.UniqueConstraint(
                fields=["organisation", "achievement_kind", "achievement_normalised"],
                condition=Q(status="approved") & ~Q(achievement_normalised=""),
                name="one_approval_per_item_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="application_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested_yuan__isnull=True) | Q(amount_requested_yuan__gt=0),
                name="application_requested_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount_approved_yuan__isnull=True) | Q(amount_approved_yuan__gte=0),
                name="application_approved_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["bureau", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["due_on"], name="application_due_idx", condition=Q(due_on__isnull=False)),
            models.Index(fields=["achievement_kind", "achievement_normalised"], name="application_item_idx"),
        ]

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = uuid.uuid4().hex[:12].upper()
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.reference} {self.clause_id} ({self.status})"


class ReferenceCounter(models.Model):
    """The last number given to an application under one clause in one year (FIM-4.2-2026-000123).

    Incremented in the submitting transaction under the row's lock, so numbers are unique and never reused.
    """

    key = models.CharField(max_length=40, unique=True, help_text=_("Clause code and year, e.g. FIM-4.2-2026."))
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last}"


class ApplicationEvent(models.Model):
    """One line of an application's history, written in the same transaction as the change."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.application_id}: {self.action} {self.from_status}→{self.to_status}"


class Evaluation(models.Model):
    """The engine's answer for an application, with the rule version and day it used.

    A pending row is the durable record of work to do: it is written in the transaction that calls for the
    evaluation (a submission), queued after commit, and queued again by the sweeper if it waits too long.

    It stores what a replay needs and what cannot be recomputed: the version, the day, the outcome,
    the applied clause's group outcomes (`groups_met`: true, false or null per condition group) and a
    digest of the facts evaluated. The trace and the full check answer are rebuilt on read from the
    version (`trace`, `result`; subsidies.evaluations), not copied into every row.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evaluations")
    rule_version = models.ForeignKey("rules.RuleVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    as_of = models.DateField()
    outcome = models.CharField(max_length=14, blank=True,
                               help_text=_("eligible, needs_review, superseded or not_eligible"))
    previous_outcome = models.CharField(
        max_length=14, blank=True, help_text=_("The outcome of the evaluation before this one, when it changed.")
    )
    trigger = models.CharField(max_length=20, default="submission", help_text=_("submission, resubmission or publish"))
    groups_met = models.JSONField(
        default=list, blank=True, help_text=_("The applied clause's condition groups as evaluated: true, false or null each.")
    )
    facts_digest = models.CharField(max_length=16, blank=True, help_text=_("SHA-256 (first 16 hex) of the facts evaluated."))
    superseded_by = models.CharField(
        max_length=32, blank=True,
        help_text=_("就新、不重复: the organisation's approved application for the same item, which supersedes this one."),
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Last handed to the broker; the sweeper queues again what waits too long."))
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["application", "-created_at"], name="evaluation_latest_idx"),
            models.Index(fields=["queued_at"], name="evaluation_pending_idx", condition=models.Q(state="pending")),
        ]

    @cached_property
    def trace(self) -> list[dict]:
        """The applied clause's condition groups with their outcome, rebuilt from the rule version."""
        from ..evaluations import evaluation_trace

        return evaluation_trace(self)

    @cached_property
    def result(self) -> dict | None:
        """The full check answer, replayed under the stored version and day (None if the facts changed since)."""
        from ..evaluations import evaluation_result

        return evaluation_result(self)


def attachment_path(instance, filename):
    return f"applications/{instance.application.reference}/{uuid.uuid4().hex}"


class Appeal(models.Model):
    """A request for review (复核) of a rejection: the applicant's reasons and files, the officer it went to,
    and the outcome. The workflow's appeal, uphold and overturn actions write it (subsidies.workflow)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Rejection upheld")
        OVERTURNED = "overturned", _("Rejection overturned")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                    help_text=_("The officer whose rejection is appealed: never the one who reviews it."))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decision = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(outcome="pending"),
                                    name="one_pending_appeal_per_application"),
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("rejected_by")),
                                   name="appeal_not_decided_by_the_rejecting_officer"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.outcome}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    material = models.ForeignKey("programmes.Material", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="attachments", help_text=_("The call's material this file is (empty: other)."))
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, null=True, blank=True, related_name="files",
                               help_text=_("Set when the file supports an appeal."))
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Consultation(models.Model):
    """A co-responsible bureau consulted on an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consultations")
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, related_name="consultations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
