"""Who uses the portal: applicant organisations and their users, bureau officers, rule administrators."""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .credit_code import CreditCodeError, validate_credit_code


def credit_code_validator(value):
    try:
        validate_credit_code(value)
    except CreditCodeError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def licence_path(instance, filename):
    return f"organisations/{instance.credit_code}/licence-{uuid.uuid4().hex}"


class Organisation(models.Model):
    """An applicant organisation, identified by its 统一社会信用代码.

    An organisation that registers itself is unverified until an officer of its district (or an
    administrator) has checked its business licence: it may check eligibility and draft, not submit.
    """

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Verification refused")

    name = models.CharField(max_length=120)
    credit_code = models.CharField(max_length=18, unique=True, validators=[credit_code_validator])
    district = models.CharField(max_length=40, help_text=_("区县 where it is registered"))
    org_type = models.CharField(max_length=40, help_text=_("One of the org_type fact's choices"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNVERIFIED)
    contact_name = models.CharField(max_length=60, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    licence = models.FileField(upload_to=licence_path, blank=True, help_text=_("The business licence (营业执照)."))
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self):
        return f"{self.name} ({self.credit_code})"

    @property
    def verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    OFFICER = "officer", _("Bureau officer")
    RULE_ADMIN = "rule_admin", _("Rule administrator")
    ADMIN = "admin", _("Administrator")


class Profile(models.Model):
    """A user's role: an applicant belongs to one organisation, an officer to one bureau."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=12, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="officers")
    is_org_admin = models.BooleanField(default=False, help_text=_("Manages the organisation's members."))
    is_bureau_head = models.BooleanField(
        default=False, help_text=_("Heads the bureau: receives the overdue digest, may allow spending beyond a budget."))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="applicant") | Q(organisation__isnull=False, bureau__isnull=True),
                name="applicant_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(bureau__isnull=False, organisation__isnull=True),
                name="officer_has_bureau",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.role})"


class OrganisationEvent(models.Model):
    """The organisation's history: registered, verified, members invited and removed, disputes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Invitation(models.Model):
    """An organisation administrator's invitation of a member (申报员) by email; the link is signed and expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)


class Dispute(models.Model):
    """Someone claims a credit code another account registered: an administrator decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    credit_code = models.CharField(max_length=18)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="disputes")
    claimant_name = models.CharField(max_length=120)
    contact_name = models.CharField(max_length=60)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
