"""Reads of a user's inbox."""
from __future__ import annotations

from django.db.models import QuerySet

from .kinds import KINDS
from .models import Notification, Preference


def inbox(user, *, unread: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences(user) -> list[dict]:
    """Every registered kind with whether this user gets it by email."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return [{"kind": k.code, "label": str(k.label), "email": chosen.get(k.code, k.email)}
            for k in sorted(KINDS.values(), key=lambda k: k.code)]
