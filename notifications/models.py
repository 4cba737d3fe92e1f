"""What the portal tells people: one row per (recipient, event) in their inbox (消息中心), and its email.

The row is written in the same transaction as the event it reports, before any email is sent; its key
is unique per recipient, so an event reported twice (a retried task, a re-run chunk) is one message. The
email is sent at most once: its state moves pending → sending (committed) → sent, and only pending ones
are ever (re)queued.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Email(models.TextChoices):
        NONE = "none", _("Not emailed")
        PENDING = "pending", _("Email pending")
        SENDING = "sending", _("Email being sent")
        SENT = "sent", _("Emailed")
        FAILED = "failed", _("Email failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200, help_text=_("The event reported, e.g. application:12:event:345."))
    params = models.JSONField(default=dict, blank=True, help_text=_("What the message names (reference, clause, …)."))
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=8, choices=Email.choices, default=Email.NONE)
    email_queued_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
            models.Index(fields=["email", "email_queued_at"], name="notification_email_idx",
                         condition=Q(email="pending")),
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.kind} {self.key}"


class Preference(models.Model):
    """Whether a user wants email for one kind of notification (the inbox always has it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=40)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]
