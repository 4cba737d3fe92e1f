"""Celery tasks of the rule tables."""
from celery import shared_task


@shared_task(acks_late=True)
def reevaluate_open_applications(version_number: int) -> int:
    """After a publication: evaluate every open application again under the new version."""
    from subsidies.services.reevaluation import open_applications_reevaluate

    return open_applications_reevaluate(version_number=version_number)
