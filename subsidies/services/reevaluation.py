"""After a rule publication: evaluate the open applications again and note whose eligibility changed."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from rules.models import RuleVersion

from ..models import Application, Evaluation, ReevaluationJob
from ..models.applications import Status
from .applications import evaluation_run

OPEN_STATUSES = (Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW, Status.RETURNED)


def open_applications_reevaluate(*, version_number: int) -> int:
    """Re-evaluate every open application; returns how many changed outcome. Progress is saved as it goes."""
    version = RuleVersion.objects.get(number=version_number)
    ids = list(Application.objects.filter(status__in=OPEN_STATUSES).order_by("pk").values_list("pk", flat=True))
    job = ReevaluationJob.objects.create(rule_version=version, total=len(ids))
    for app_id in ids:
        with transaction.atomic():
            previous = (
                Evaluation.objects.filter(application_id=app_id, state=Evaluation.State.DONE).order_by("-created_at", "-pk").first()
            )
            app = Application.objects.get(pk=app_id)
            evaluation = Evaluation.objects.create(application=app, as_of=app.as_of, trigger="publish")
        evaluation = evaluation_run(evaluation_id=evaluation.pk)
        changed = previous is not None and previous.outcome != evaluation.outcome
        if changed:
            evaluation.previous_outcome = previous.outcome
            evaluation.save(update_fields=["previous_outcome"])
        ReevaluationJob.objects.filter(pk=job.pk).update(done=job.done + 1, changed=job.changed + int(changed))
        job.done += 1
        job.changed += int(changed)
    ReevaluationJob.objects.filter(pk=job.pk).update(finished_at=timezone.now())
    return job.changed
