"""Celery beat: the end of 公示 periods (idempotent; a repeat finds nothing left to finalise)."""
from celery import shared_task

from .services import publicity_finalise


@shared_task(name="payments.tasks.finalise_publicity", acks_late=True, reject_on_worker_lost=True)
def finalise_publicity() -> int:
    return publicity_finalise()
