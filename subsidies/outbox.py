"""Evaluations as an outbox: the pending Evaluation row is written with the change that calls for it (a submission),
handed to the broker after commit, and handed again by the sweeper when it has waited too long (the web process
died between the commit and the send, a message was lost, a worker died with it). The task evaluates a pending
row once, under its row lock; a repeat finds it done and does nothing.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from policy_portal.celery import queue

from .models import Evaluation

log = logging.getLogger(__name__)
EVALUATE = "subsidies.tasks.evaluate_application"


def queue_evaluations(ids: list[int]) -> None:
    """Record the hand-over, then send (a crash in between leaves the row pending: the sweeper sends it)."""
    Evaluation.objects.filter(pk__in=ids, state=Evaluation.State.PENDING).update(queued_at=timezone.now())
    for pk in ids:
        queue(EVALUATE, pk)


def evaluations_sweep(*, now: dt.datetime | None = None, stale_after: dt.timedelta | None = None) -> int:
    """Queue again the pending evaluations never queued or queued longer ago than `stale_after`."""
    now = now or timezone.now()
    stale_after = stale_after or dt.timedelta(seconds=settings.PORTAL_STALE_SECONDS)
    ids = list(Evaluation.objects.filter(state=Evaluation.State.PENDING)
               .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - stale_after))
               .order_by("pk").values_list("pk", flat=True)[:5000])
    if ids:
        log.warning("re-queueing %d pending evaluation(s)", len(ids))
        queue_evaluations(ids)
    return len(ids)
