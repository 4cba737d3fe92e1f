"""Celery tasks of notifications; each makes one service call."""
from celery import shared_task

from .services import notification_email_send, notifications_sweep


@shared_task(name="notifications.tasks.send_email", acks_late=True, reject_on_worker_lost=True)
def send_email(notification_id: int) -> str:
    return notification_email_send(notification_id=notification_id)


@shared_task(name="notifications.tasks.sweep")
def sweep() -> int:
    return notifications_sweep()
