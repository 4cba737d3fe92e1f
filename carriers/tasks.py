"""Beat tasks: IIC-13 annual-report and IIC-16 change-report reminders."""
from celery import shared_task
from django.utils import timezone


@shared_task
def send_iic_reminders() -> dict:
    from .services import annual_report_reminders_send, change_report_reminders_send

    today = timezone.localdate()
    return {
        "iic16": change_report_reminders_send(today=today),
        "iic13": annual_report_reminders_send(today=today),
    }
