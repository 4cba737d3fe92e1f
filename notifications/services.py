"""Writing notifications in the event's transaction, emailing them at most once, marking them read."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from policy_portal.celery import queue
from policy_portal.exceptions import DomainError

from .kinds import KINDS, kind_of
from .models import Notification, Preference

log = logging.getLogger(__name__)
SEND_EMAIL = "notifications.tasks.send_email"


def _wants_email(user, kind: str) -> bool:
    if not user.email or not user.is_active:
        return False
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return chosen if chosen is not None else KINDS.get(kind, kind_of(kind)).email


def _queue_emails(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids, email=Notification.Email.PENDING).update(email_queued_at=timezone.now())
    for pk in ids:
        queue(SEND_EMAIL, pk)


def notify(*, recipients: Iterable, kind: str, key: str, params: dict | None = None, url: str = "") -> list[Notification]:
    """One notification per recipient for the event `key`, in the caller's transaction; a repeat creates nothing.

    Emails go out after commit to those who want them; the inbox has every one.
    """
    created, to_email = [], []
    with transaction.atomic():
        for user in {u.pk: u for u in recipients}.values():
            email = Notification.Email.PENDING if _wants_email(user, kind) else Notification.Email.NONE
            notification, new = Notification.objects.get_or_create(
                recipient=user, key=key[:200], defaults={"kind": kind, "params": params or {}, "url": url[:300],
                                                         "email": email})
            if new:
                created.append(notification)
                if email == Notification.Email.PENDING:
                    to_email.append(notification.pk)
        if to_email:
            transaction.on_commit(lambda: _queue_emails(to_email))
    return created


def notification_email_send(*, notification_id: int) -> str:
    """Send one notification's email if it is still pending: recorded as 'sending' before the mail goes out."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, email=Notification.Email.PENDING).update(
            email=Notification.Email.SENDING)
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    kind = kind_of(notification.kind)
    with translation.override(settings.LANGUAGE_CODE):
        subject = kind.render("title", notification.params)
        body = kind.render("body", notification.params) or subject
    if notification.url:
        body += f"\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    except Exception:  # noqa: BLE001 - the inbox still has it; an administrator sees the failure
        log.exception("email of notification %s failed", notification_id)
        Notification.objects.filter(pk=notification_id).update(email=Notification.Email.FAILED)
        return "failed"
    Notification.objects.filter(pk=notification_id).update(email=Notification.Email.SENT, emailed_at=timezone.now())
    return "sent"


def notifications_sweep(*, now: dt.datetime | None = None, stale_after: dt.timedelta | None = None) -> int:
    """Queue again the emails still pending long after they were queued (their message was lost)."""
    now = now or timezone.now()
    stale_after = stale_after or dt.timedelta(seconds=settings.PORTAL_STALE_SECONDS)
    ids = list(Notification.objects.filter(email=Notification.Email.PENDING)
               .filter(Q(email_queued_at__isnull=True) | Q(email_queued_at__lt=now - stale_after))
               .values_list("pk", flat=True)[:5000])
    if ids:
        _queue_emails(ids)
    return len(ids)


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when `ids` is None); returns how many changed."""
    rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


def preference_set(*, actor, kind: str, email: bool) -> Preference:
    if kind not in KINDS:
        raise DomainError("unknown_kind", f"No notification kind {kind!r}.", "kind", kind=kind)
    preference, _ = Preference.objects.update_or_create(user=actor, kind=kind, defaults={"email": bool(email)})
    return preference
