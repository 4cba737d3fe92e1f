"""The beat's work on time and calls: each bureau head's daily digest of overdue applications, and the
announcement of calls that have opened to the organisations that applied under their clauses.

Both are idempotent: the digest's key names the bureau and the day, the announcement's the call, and
notifications.notify() writes one row per (recipient, key), so running them again sends nothing new.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from catalogue.models import Bureau
from notifications.services import notify
from programmes.models import Call
from programmes.selectors import with_status

from ..limits import RUNNING
from ..models import Application
from ..models.applications import Stage
from ..notices import CALL_OPENED, OVERDUE_DIGEST

ANNOUNCE_WITHIN = dt.timedelta(days=7)  # a call opened longer ago than this is not announced any more
MAX_LISTED = 50  # references named in one digest


def overdue_applications(today: dt.date):
    """Applications a bureau still has to act on whose due date has passed."""
    return (Application.objects.filter(status__in=RUNNING, due_on__lt=today)
            .only("pk", "reference", "stage", "bureau_id", "district_bureau_id", "due_on").order_by("due_on", "pk"))


@transaction.atomic
def overdue_digests_send(*, today: dt.date | None = None) -> int:
    """One digest per bureau head whose bureau has overdue applications, at most once a day; returns how many
    were written now."""
    today = today or timezone.localdate()
    by_bureau: dict[int, list[str]] = defaultdict(list)
    for app in overdue_applications(today):
        by_bureau[app.district_bureau_id if app.stage == Stage.DISTRICT else app.bureau_id].append(app.reference)
    heads = (get_user_model().objects.filter(is_active=True, profile__role=Role.OFFICER, profile__is_bureau_head=True,
                                             profile__bureau_id__in=list(by_bureau))
             .select_related("profile"))
    names = dict(Bureau.objects.filter(pk__in=list(by_bureau)).values_list("pk", "short_name_zh"))
    sent = 0
    for head in heads:
        references = by_bureau[head.profile.bureau_id]
        sent += len(notify(
            recipients=[head], kind=OVERDUE_DIGEST, key=f"overdue-digest:{head.profile.bureau_id}:{today.isoformat()}",
            url="/applications/?overdue=1",
            params={"count": len(references), "bureau": names.get(head.profile.bureau_id, ""),
                    "date": today.isoformat(), "references": references[:MAX_LISTED]}))
    return sent


@transaction.atomic
def open_calls_announce(*, now: dt.datetime | None = None) -> int:
    """Tell the members of organisations that applied under a call's clause that the call is open (once per call)."""
    now = now or timezone.now()
    calls = (with_status(Call.objects.filter(opens_at__gte=now - ANNOUNCE_WITHIN), now)
             .filter(current_status=Call.Status.OPEN).prefetch_related("clauses"))
    sent = 0
    for call in calls:
        codes = sorted(c.code for c in call.clauses.all())
        organisations = Application.objects.filter(clause__code__in=codes).values("organisation_id")
        users = get_user_model().objects.filter(Q(profile__organisation_id__in=organisations), is_active=True,
                                                profile__role=Role.APPLICANT)
        closes = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M") if call.closes_at else "—"
        sent += len(notify(recipients=users, kind=CALL_OPENED, key=f"call:{call.pk}:opened", url=f"/calls/{call.pk}/",
                           params={"title": call.title_zh, "clauses": codes, "closes": closes}))
    return sent
