"""Celery tasks of matching; each makes one service call (the chunks themselves run as jobs.tasks.run_chunk)."""
from celery import shared_task

from .services.matching import matching_daily


@shared_task(name="matching.tasks.rematch_daily")
def rematch_daily() -> str:
    job = matching_daily()
    return job.key if job else ""
