"""Who uses the portal: applicant organisations and their users, bureau officers, rule administrators."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from policy_portal.messages import Message

from .credit_code import CreditCodeError, validate_credit_code


def credit_code_validator(value):
    try:
        validate_credit_code(value)
    except CreditCodeError as exc:
        raise ValidationError(Message(exc.code, **exc.params), code=exc.code) from None


class Organisation(models.Model):
    """An applicant organisation, identified by its 统一社会信用代码."""

    name = models.CharField(max_length=120)
    credit_code = models.CharField(max_length=18, unique=True, validators=[credit_code_validator])
    district = models.CharField(max_length=40, help_text=_("区县 where it is registered"))
    org_type = models.CharField(max_length=40, help_text=_("One of the org_type fact's choices"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.name} ({self.credit_code})"


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
