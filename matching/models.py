"""What we hold about organisations and what it matches: facts with their source, official lists, matches.

- `OrganisationFact`: one fact about an organisation (or a prospective one, known only from a list) from
  one source, with the day it was last confirmed; the effective profile takes, per fact, the strongest
  source (officer > imported > derived > self) and lists the disagreements for officers.
- `ListKind` / `ListImport`: an official list (单项冠军, 小巨人, …) with the column mapping saved for its kind,
  and each file imported under it (previewed, then applied all or nothing).
- `Match`: an organisation qualifies for a clause under a rule version; new → notified → applied, dismissed
  or expired (with the reason); for a clause marked 免申即享, proposed → awarded by an officer.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    SELF = "self", _("Self-declared")
    OFFICER = "officer", _("Verified by an officer")
    IMPORTED = "imported", _("Official list")
    DERIVED = "derived", _("Our registers")


# Which source wins when two disagree: the higher number.
STRENGTH = {Source.SELF: 0, Source.DERIVED: 1, Source.IMPORTED: 2, Source.OFFICER: 3}


class ProspectiveOrganisation(models.Model):
    """An organisation named on an official list that has no account yet; it claims its facts by registering."""

    credit_code = models.CharField(max_length=18, unique=True)
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.ForeignKey("accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.credit_code})"


class ListKind(models.Model):
    """A kind of official list and how its columns read: the mapping is saved and reused for the next file."""

    code = models.SlugField(max_length=40, unique=True)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=150)
    # {"统一社会信用代码": "credit_code", "企业名称": "name", "认定日期": "<fact code>", …}
    mapping = models.JSONField(default=dict)
    # facts every row states (e.g. the recognition's type when the list prints only first recognitions)
    constants = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name_zh


class ListImport(models.Model):
    class State(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    kind = models.ForeignKey(ListKind, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    rows = models.JSONField(default=list, help_text=_("Parsed rows: credit code, name, facts, row number."))
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self):
        return f"{self.kind} · {self.file_name}"


class OrganisationFact(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="profile_facts")
    prospect = models.ForeignKey(ProspectiveOrganisation, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="facts")
    fact = models.CharField(max_length=60)
    value = models.JSONField()
    source = models.CharField(max_length=10, choices=Source.choices)
    confirmed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    list_import = models.ForeignKey(ListImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(organisation__isnull=False) ^ Q(prospect__isnull=False),
                                   name="fact_of_one_holder"),
            models.UniqueConstraint(fields=["organisation", "fact", "source"], condition=Q(organisation__isnull=False),
                                    name="one_fact_per_source"),
            models.UniqueConstraint(fields=["prospect", "fact", "source"], condition=Q(prospect__isnull=False),
                                    name="one_prospect_fact_per_source"),
        ]
        indexes = [models.Index(fields=["fact", "organisation"])]

    def __str__(self):
        return f"{self.fact}={self.value!r} ({self.source})"


class ClauseMatching(models.Model):
    """How a clause's matches are handled: 免申即享 (no application) is set by an officer of its lead bureau."""

    clause = models.OneToOneField("catalogue.Clause", on_delete=models.CASCADE, related_name="matching")
    no_application = models.BooleanField(default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField(auto_now=True)


class Match(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        NOTIFIED = "notified", _("Notified")
        APPLIED = "applied", _("Applied")
        DISMISSED = "dismissed", _("Dismissed")
        EXPIRED = "expired", _("No longer matches")
        PROPOSED = "proposed", _("Proposed award")
        AWARDED = "awarded", _("Award confirmed")

    ACTIVE = (Status.NEW, Status.NOTIFIED, Status.PROPOSED)

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="matches")
    clause = models.ForeignKey("catalogue.Clause", on_delete=models.CASCADE, related_name="matches")
    rule_version = models.PositiveIntegerField(help_text=_("The rule version it was last found under."))
    outcome = models.CharField(max_length=14, help_text=_("eligible, or needs_review"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    missing = models.JSONField(default=list, blank=True, help_text=_("What an officer must still confirm."))
    reason = models.CharField(max_length=200, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    application = models.ForeignKey("subsidies.Application", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "clause"], name="one_match_per_clause")]
        indexes = [models.Index(fields=["clause", "status"])]

    def __str__(self):
        return f"{self.organisation_id}:{self.clause_id} ({self.status})"
