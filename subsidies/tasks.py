"""Celery tasks of the applications workflow; each makes one service call."""
from celery import shared_task

from .outbox import evaluations_sweep
from .services import evaluation_run
from .services.notifications import application_notify


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,), retry_backoff=True,
             max_retries=5)
def evaluate_application(evaluation_id: int) -> str:
    return evaluation_run(evaluation_id=evaluation_id).state


@shared_task(acks_late=True)
def notify_application(application_id: int, kind: str) -> int:
    return application_notify(application_id=application_id, kind=kind)


@shared_task(name="subsidies.tasks.sweep_evaluations")
def sweep_evaluations() -> int:
    return evaluations_sweep()
