"""The Celery application; tasks are discovered in each app's tasks.py."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policy_portal.settings")

app = Celery("policy_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def queue(task_name: str, *args, **kwargs) -> None:
    """Send a task by its registered name (eagerly when CELERY_TASK_ALWAYS_EAGER), without importing it.

    Services queue the tasks that call them; naming the task instead of importing its module keeps
    the import graph free of services ↔ tasks cycles.
    """
    app.tasks[task_name].delay(*args, **kwargs)
