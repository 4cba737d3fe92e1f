"""After a rule publication: evaluate the open applications again, in chunks, and note whose eligibility changed.

The job and its chunks are created inside the publishing transaction (rules.hooks.ruleset_published),
so the work is recorded with the publication; each chunk stores its evaluations and its `done` mark in
one transaction (jobs.services.chunk_run), so a worker dying midway loses nothing and redoes nothing.
Chunks are independent Celery tasks, so every worker process takes its share. A chunk reads its
applications (with their latest outcome) in one query, evaluates them in memory and writes its
evaluations in one bulk insert: a fixed number of queries per chunk, none per application.
"""
from __future__ import annotations

from django.db.models import OuterRef, Subquery

from jobs.models import Job
from jobs.services import job_start
from rules.models import RuleVersion
from rules.selectors import rulebook_for_version

from ..evaluations import fill_evaluation
from ..models import Application, Evaluation
from ..models.applications import Status

OPEN_STATUSES = (Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW, Status.RETURNED)
KIND = "reevaluation"
BULK_BATCH = 1000


def reevaluation_key(version_number: int) -> str:
    return f"{KIND}:v{version_number}"


def reevaluation_start(*, version: RuleVersion) -> Job:
    """The re-evaluation job of `version`: one per version, whoever asks twice."""
    ids = list(Application.objects.filter(status__in=OPEN_STATUSES).order_by("pk").values_list("pk", flat=True))
    return job_start(kind=KIND, key=reevaluation_key(version.number), items=ids, label=f"v{version.number}",
                     params={"version": version.number})


def on_ruleset_published(sender, *, version: RuleVersion, **kwargs) -> None:
    reevaluation_start(version=version)


def reevaluate_chunk(job: Job, items: list) -> dict:
    """Evaluate each application of the chunk under the job's version; report those whose outcome changed."""
    version = RuleVersion.objects.get(number=job.params["version"])
    book = rulebook_for_version(version)
    latest = Evaluation.objects.filter(application=OuterRef("pk"), state=Evaluation.State.DONE).order_by("-created_at", "-pk")
    # 就新、不重复 from our own records: the organisation's approved application for the same item, if any
    supported = (Application.objects.filter(
        organisation_id=OuterRef("organisation_id"), achievement_kind=OuterRef("achievement_kind"),
        achievement_normalised=OuterRef("achievement_normalised"), status=Status.APPROVED,
    ).exclude(achievement_normalised="").exclude(pk=OuterRef("pk")).order_by("pk"))
    rows = (Application.objects.filter(pk__in=items, status__in=OPEN_STATUSES)
            .annotate(previous=Subquery(latest.values("outcome")[:1]),
                      supported_by=Subquery(supported.values("reference")[:1]))
            .order_by("pk")
            .values_list("pk", "reference", "facts", "as_of", "clause__code", "organisation__name", "previous",
                         "supported_by"))
    changed, evaluations = [], []
    for pk, reference, facts, as_of, clause, organisation, previous, supported_by in rows:
        evaluation = fill_evaluation(Evaluation(application_id=pk, as_of=as_of, trigger="publish"), facts=facts,
                                     as_of=as_of, clause_code=clause, reference=reference, book=book,
                                     version_id=version.pk, supported_by=supported_by or "")
        if previous is not None and previous != evaluation.outcome:
            evaluation.previous_outcome = previous
            changed.append({"reference": reference, "clause": clause, "organisation": organisation,
                            "before": previous, "after": evaluation.outcome})
        evaluations.append(evaluation)
    Evaluation.objects.bulk_create(evaluations, batch_size=BULK_BATCH)
    return {"changed": len(changed), "changed_items": changed}
