"""Celery tasks of the applications workflow; each makes one service call."""
from celery import shared_task

from .outbox import evaluations_sweep
from .services import evaluation_run
from .services.limits import open_calls_announce, overdue_digests_send


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,), retry_backoff=True,
             max_retries=5)
def evaluate_application(evaluation_id: int) -> str:
    return evaluation_run(evaluation_id=evaluation_id).state


@shared_task(name="subsidies.tasks.send_overdue_digests")
def send_overdue_digests() -> int:
    """Beat, daily: each bureau head's digest of the bureau's overdue applications (once per head per day)."""
    return overdue_digests_send()


@shared_task(name="subsidies.tasks.announce_open_calls")
def announce_open_calls() -> int:
    """Beat: organisations that applied under a clause hear that a call for it has opened (once per call)."""
    return open_calls_announce()


@shared_task(name="subsidies.tasks.sweep_evaluations")
def sweep_evaluations() -> int:
    return evaluations_sweep()
