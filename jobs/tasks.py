"""Celery tasks of background jobs; each makes one service call."""
from celery import shared_task

from .services import chunk_run, jobs_sweep


@shared_task(name="jobs.tasks.run_chunk", acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def run_chunk(chunk_id: int) -> str:
    return chunk_run(chunk_id=chunk_id)


@shared_task(name="jobs.tasks.sweep")
def sweep() -> int:
    return jobs_sweep()
