"""Rule tables: the facts vocabulary, rule versions, and each clause's versioned parameters and conditions.

A condition row is neutral (fact, operator, value); `rules.engine` compiles the rows of a
version into durable-rules rulesets and `rules.evaluator` evaluates the same rows in plain
Python for explanations.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .operators import FactType, Operator


class Fact(models.Model):
    """One typed fact an applicant can state, e.g. 主体类型 (org_type)."""

    code = models.SlugField(max_length=60, unique=True)
    section = models.SlugField(max_length=30)
    position = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=12, choices=FactType.choices)
    label_zh = models.CharField(max_length=120)
    label_en = models.CharField(max_length=160)
    help_zh = models.TextField(blank=True)
    help_en = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True, help_text=_("For enum types: [{value, zh, en}]."))
    min_value = models.BigIntegerField(null=True, blank=True)
    max_value = models.BigIntegerField(null=True, blank=True)

    def __str__(self):
        return f"{self.code} ({self.label_zh})"

    def choice_values(self):
        return [c["value"] for c in self.choices]


class RuleVersion(models.Model):
    """A numbered set of clause rules. Published versions are immutable; an edit makes a new draft."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")
        REJECTED = "rejected", _("Rejected in review")

    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the version's canonical content."))
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source = models.CharField(
        max_length=10, default="admin", help_text=_("fixtures (load_policies), admin (drafts) or rollback")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_version_has_time",
            )
        ]

    def __str__(self):
        return f"v{self.number} ({self.status})"


class ClauseRule(models.Model):
    """A clause's parameters in one rule version: amount, kind, window and bureaus."""

    class AmountKind(models.TextChoices):
        CAP = "cap", _("Up to (最高)")
        FIXED = "fixed", _("Fixed sum")
        EQUITY = "equity", _("Equity investment")
        NONE = "none", _("Non-monetary")
        UNSPECIFIED = "unspecified", _("Support without a stated sum")

    version = models.ForeignKey(RuleVersion, on_delete=models.CASCADE, related_name="clause_rules")
    clause = models.ForeignKey("catalogue.Clause", on_delete=models.PROTECT, related_name="rules")
    amount_yuan = models.BigIntegerField(null=True, blank=True)
    amount_kind = models.CharField(max_length=12, choices=AmountKind.choices)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text=_("Exclusive; empty when open-ended."))
    lead_bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, related_name="lead_rules")
    bureaus = models.ManyToManyField("catalogue.Bureau", through="ClauseRuleBureau", related_name="clause_rules")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "clause"], name="clause_rule_unique_per_version"),
            models.CheckConstraint(
                condition=(Q(amount_kind__in=["cap", "fixed", "equity"]) & Q(amount_yuan__gt=0))
                | (Q(amount_kind__in=["none", "unspecified"]) & Q(amount_yuan__isnull=True)),
                name="clause_rule_amount_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="clause_rule_window_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.clause_id} in v{self.version_id}"


class ClauseRuleBureau(models.Model):
    clause_rule = models.ForeignKey(ClauseRule, on_delete=models.CASCADE)
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clause_rule", "bureau"], name="clause_rule_bureau_unique")]


class Condition(models.Model):
    """One (fact, operator, value) test. Rows sharing `group` are alternatives (OR); groups are all required (AND)."""

    clause_rule = models.ForeignKey(ClauseRule, on_delete=models.CASCADE, related_name="conditions")
    group = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    fact = models.ForeignKey(Fact, to_field="code", on_delete=models.PROTECT, related_name="conditions")
    operator = models.CharField(max_length=16, choices=Operator.choices)
    value = models.JSONField(null=True, blank=True)
    message_zh = models.CharField(max_length=200, help_text=_("What the condition requires, shown when it is unmet."))
    message_en = models.CharField(max_length=250)
    # The words the condition rests on (docs/policy-reading.md): an exact passage of the clause's document, or
    # of `source_document` when another document's words carry it; or, where no words settle it, the
    # documented interpretation it follows ("I-3: …"), shown to applicants as an interpretation.
    source_document = models.CharField(
        max_length=8, blank=True, help_text=_("Code of the document the words are in, when not the clause's own.")
    )
    source_quote = models.TextField(blank=True, help_text=_("The words of the text the condition rests on, verbatim."))
    interpretation = models.TextField(
        blank=True, help_text=_("Where the words do not settle the condition: the documented reading it follows.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clause_rule", "group", "position"], name="condition_position_unique")
        ]

    def __str__(self):
        return f"{self.fact_id} {self.operator} {self.value!r}"


class RuleEvent(models.Model):
    """Audit trail of the rule tables: drafts, edits, reviews, publications, rollbacks."""

    version = models.ForeignKey(RuleVersion, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class GoldenCase(models.Model):
    """A case of the library: facts on a date and what a clause must answer. Run before every publish."""

    class Expected(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        NEEDS_REVIEW = "needs_review", _("Needs review")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")

    name = models.CharField(max_length=200, unique=True)
    clause = models.ForeignKey("catalogue.Clause", on_delete=models.CASCADE, related_name="golden_cases")
    as_of = models.DateField()
    facts = models.JSONField(default=dict)
    expected = models.CharField(max_length=14, choices=Expected.choices)
    amount_yuan = models.BigIntegerField(null=True, blank=True)
    unmet = models.JSONField(
        default=list, blank=True, help_text=_("Fact codes that must be among a near miss's unmet conditions.")
    )
    source = models.CharField(max_length=80, blank=True, help_text=_("The YAML file it was loaded from, if any."))
    fixture_hash = models.CharField(
        max_length=64, blank=True, help_text=_("Hash of the YAML row last loaded: an unchanged row never overwrites an edit.")
    )

    def __str__(self):
        return self.name


class DraftCaseChange(models.Model):
    """What a case of the library will expect once `version` is published: a policy change (a rollback, a raised
    cap) changes the cases too, and the reviewer sees both and publishes both together, or neither."""

    version = models.ForeignKey(RuleVersion, on_delete=models.CASCADE, related_name="case_changes")
    case = models.ForeignKey(GoldenCase, on_delete=models.CASCADE, related_name="draft_changes")
    expected = models.CharField(max_length=14, choices=GoldenCase.Expected.choices)
    amount_yuan = models.BigIntegerField(null=True, blank=True)
    unmet = models.JSONField(default=list, blank=True)
    before = models.JSONField(default=dict, help_text=_("What the case expected when the change was proposed."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "case"], name="draft_case_change_unique")]

    def __str__(self):
        return f"{self.case_id} in v{self.version_id}"
