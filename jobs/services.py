"""Starting a job, running one chunk exactly once, and sweeping up chunks nobody finished.

Delivery is at least once (a chunk may be queued or run twice; the sweeper re-queues what waited too
long), effects are exactly once: a chunk runs inside one transaction holding its row lock, and that
transaction writes both its effects and its `done` mark. Handlers are registered per kind by the app
that owns the work (subsidies registers "reevaluation" in its AppConfig.ready()).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from policy_portal.celery import queue

from .models import Job, JobChunk

log = logging.getLogger(__name__)
RUN_CHUNK = "jobs.tasks.run_chunk"
DEFAULT_CHUNK_SIZE = 500
MAX_ATTEMPTS = 5

# kind → handler(job, items) → {"changed": n, ...}; it runs inside the chunk's transaction.
Handler = Callable[[Job, list], dict]
HANDLERS: dict[str, Handler] = {}


def register_handler(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


def _enqueue(chunk_ids: list[int]) -> None:
    # Recorded before sending: a crash in between leaves the chunk pending, and the sweeper re-queues it.
    JobChunk.objects.filter(pk__in=chunk_ids, state=JobChunk.State.PENDING).update(queued_at=timezone.now())
    for chunk_id in chunk_ids:
        queue(RUN_CHUNK, chunk_id)


def job_start(*, kind: str, key: str, items: list, label: str = "", params: dict | None = None,
              chunk_size: int | None = None) -> Job:
    """Create the job and all its chunks in the caller's transaction (once per key); queue them after commit."""
    chunk_size = chunk_size or DEFAULT_CHUNK_SIZE
    if kind not in HANDLERS:
        raise LookupError(f"no handler is registered for {kind!r} jobs")
    with transaction.atomic():
        job, created = Job.objects.get_or_create(
            key=key, defaults={"kind": kind, "label": label, "params": params or {}, "total": len(items)}
        )
        if not created:
            return job
        chunks = JobChunk.objects.bulk_create(
            [JobChunk(job=job, index=i, items=items[start:start + chunk_size], size=len(items[start:start + chunk_size]))
             for i, start in enumerate(range(0, len(items), chunk_size))]
        )
        job.chunks_total = len(chunks)
        if not chunks:
            job.state, job.finished_at = Job.State.DONE, timezone.now()
        job.save(update_fields=["chunks_total", "state", "finished_at"])
        ids = [c.pk for c in chunks]
        transaction.on_commit(lambda: _enqueue(ids))
    return job


def chunk_run(*, chunk_id: int) -> str:
    """Run one chunk if nobody has finished it and nobody holds it; 'done', or 'skipped' for a duplicate."""
    JobChunk.objects.filter(pk=chunk_id, state=JobChunk.State.PENDING).update(attempts=F("attempts") + 1)
    with transaction.atomic():
        chunk = (JobChunk.objects.select_for_update(skip_locked=True, of=("self",)).select_related("job")
                 .filter(pk=chunk_id, state=JobChunk.State.PENDING).first())
        if chunk is None:
            return "skipped"  # finished already, or another worker is on it right now
        job = chunk.job
        result = HANDLERS[job.kind](job, chunk.items) or {}
        now = timezone.now()
        chunk.state, chunk.finished_at, chunk.result = JobChunk.State.DONE, now, result
        chunk.save(update_fields=["state", "finished_at", "result"])
        Job.objects.filter(pk=job.pk).update(
            done=F("done") + chunk.size, changed=F("changed") + int(result.get("changed", 0)),
            chunks_done=F("chunks_done") + 1,
        )
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, chunks_done=F("chunks_total")).update(
            state=Job.State.DONE, finished_at=now
        )
    return "done"


def jobs_sweep(*, now: dt.datetime | None = None, stale_after: dt.timedelta | None = None) -> int:
    """Re-queue pending chunks never queued, or queued longer ago than `stale_after` (a worker died)."""
    now = now or timezone.now()
    stale_after = stale_after or dt.timedelta(seconds=settings.PORTAL_STALE_SECONDS)
    stale = list(
        JobChunk.objects.filter(state=JobChunk.State.PENDING, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - stale_after))
        .values_list("pk", flat=True)
    )
    if stale:
        log.warning("re-queueing %d job chunk(s) that waited too long", len(stale))
        _enqueue(stale)
    return len(stale)
