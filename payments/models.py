"""From approval to money paid (政策兑现): 公示 (publicity lists, entries, objections) and payment orders
with their instalments, in whole yuan.

An approved application is listed for publicity by its deciding bureau; an entry copies only what may be
public (organisation name, credit code, clause, amount). When the period (working days) ends with no open
objection, the entry becomes final and a payment order is made; an objection upheld takes the entry off the
list and the application back to review (subsidies' internal `reopen` action, releasing the budget).
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublicityList(models.Model):
    """A 公示 of one clause's approved applications, published by the bureau that decided them."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for objections")
        CLOSED = "closed", _("Closed")

    title = models.CharField(max_length=200)
    clause = models.ForeignKey("catalogue.Clause", on_delete=models.PROTECT, related_name="publicity_lists")
    bureau = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, related_name="publicity_lists")
    working_days = models.PositiveSmallIntegerField(default=5)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text=_("The last day objections are taken (Beijing time)."))
    provisional = models.BooleanField(default=False, help_text=_("The period crosses a year without a published holiday arrangement."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "ends_on"])]

    def __str__(self):
        return self.title


class PublicityEntry(models.Model):
    class State(models.TextChoices):
        LISTED = "listed", _("Listed")
        WITHDRAWN = "withdrawn", _("Taken off after an objection")
        FINAL = "final", _("Final")

    publicity = models.ForeignKey(PublicityList, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey("subsidies.Application", on_delete=models.PROTECT, related_name="publicity_entries")
    # What may be public, copied when listed: the page and the API never reach into the application.
    organisation_name = models.CharField(max_length=120)
    credit_code = models.CharField(max_length=18)
    clause_code = models.CharField(max_length=16)
    amount_yuan = models.BigIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.LISTED)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(state__in=["listed", "final"]),
                                    name="one_live_publicity_entry_per_application"),
            models.CheckConstraint(condition=Q(amount_yuan__gte=0), name="publicity_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.organisation_name} {self.clause_code}"


class Objection(models.Model):
    """An objection lodged by anyone during the period, about one entry; the bureau answers it."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting the bureau's answer")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Not upheld")

    publicity = models.ForeignKey(PublicityList, on_delete=models.CASCADE, related_name="objections")
    entry = models.ForeignKey(PublicityEntry, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(max_length=60)
    contact = models.CharField(max_length=100)
    reasons = models.TextField(max_length=5000)
    address = models.GenericIPAddressField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["entry", "state"])]


def objection_file_path(instance, filename):
    return f"objections/{instance.objection_id}/{uuid.uuid4().hex}"


class ObjectionFile(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=objection_file_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()


class InstalmentPlan(models.Model):
    """How a clause pays in parts (e.g. construction and operation): labels and shares in percent, summing to 100."""

    clause = models.OneToOneField("catalogue.Clause", on_delete=models.CASCADE, related_name="instalment_plan")
    parts = models.JSONField(help_text=_("e.g. [{\"label_zh\": \"建设期\", \"label_en\": \"Construction\", \"percent\": 60}, …]"))

    def __str__(self):
        return f"{self.clause_id}"


class PaymentOrder(models.Model):
    """A final entry's money: amount, payer bureau, instalments; cancelled with a reason (clawback)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being paid")
        COMPLETED = "completed", _("Paid and confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey("subsidies.Application", on_delete=models.PROTECT, related_name="payment_orders")
    entry = models.OneToOneField(PublicityEntry, on_delete=models.PROTECT, related_name="payment_order")
    amount_yuan = models.BigIntegerField()
    payer = models.ForeignKey("catalogue.Bureau", on_delete=models.PROTECT, related_name="payment_orders")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    cancel_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="payment_amount_positive")]
        indexes = [models.Index(fields=["payer", "status"])]


class Instalment(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PAID = "paid", _("Paid")
        CONFIRMED = "confirmed", _("Receipt confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(PaymentOrder, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveSmallIntegerField()
    label_zh = models.CharField(max_length=40)
    label_en = models.CharField(max_length=60, blank=True)
    amount_yuan = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    paid_on = models.DateField(null=True, blank=True)
    voucher_no = models.CharField(max_length=40, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="instalment_position_unique"),
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="instalment_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=["scheduled", "cancelled"])
                                   | (Q(paid_on__isnull=False) & ~Q(voucher_no="")), name="instalment_paid_has_voucher"),
        ]
        indexes = [models.Index(fields=["status", "paid_on"])]


class PaymentEvent(models.Model):
    """The history of 公示 and payments: listed, objection, answered, final, paid, confirmed, cancelled."""

    application = models.ForeignKey("subsidies.Application", on_delete=models.CASCADE, related_name="payment_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
