"""Background jobs: the re-evaluation after a publication is recorded with it, runs in chunks, each chunk once."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jobs.models import Job, JobChunk
from jobs.services import chunk_run, jobs_sweep
from rules.services import ruleset_draft_create, ruleset_publish, ruleset_submit
from subsidies.models import Evaluation
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, UserFactory, applicant, standard_item

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 1)


def submitted_applications(n: int) -> list[int]:
    owner = applicant()
    ids = []
    for _ in range(n):
        app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1,
                                 as_of=AS_OF)
        application_submit(actor=owner, application_id=app.pk)
        ids.append(app.pk)
    return ids


def publish_unchanged_copy():
    author, reviewer = UserFactory(), UserFactory()
    draft = ruleset_draft_create(actor=author)
    ruleset_submit(actor=author, version=draft)
    return ruleset_publish(actor=reviewer, version=draft)


def test_a_publication_records_its_reevaluation_job_in_chunks_in_the_same_transaction(settings, monkeypatch):
    ids = submitted_applications(5)
    monkeypatch.setattr("jobs.services.DEFAULT_CHUNK_SIZE", 2)
    monkeypatch.setattr("jobs.services._enqueue", lambda chunk_ids: None)  # the broker never hears of it

    version = publish_unchanged_copy()

    job = Job.objects.get(key=f"reevaluation:v{version.number}")
    assert (job.total, job.chunks_total, job.state) == (5, 3, "running")
    assert [c.items for c in job.chunks.order_by("index")] == [ids[0:2], ids[2:4], ids[4:5]]


def test_a_job_resumed_after_a_worker_died_finishes_without_redoing_finished_chunks(monkeypatch):
    submitted_applications(5)
    monkeypatch.setattr("jobs.services.DEFAULT_CHUNK_SIZE", 2)
    queued = []
    monkeypatch.setattr("jobs.services.queue", lambda name, chunk_id: queued.append(chunk_id))
    version = publish_unchanged_copy()
    job = Job.objects.get(key=f"reevaluation:v{version.number}")
    first, *rest = job.chunks.order_by("index")
    JobChunk.objects.filter(pk=first.pk).update(queued_at=timezone.now())

    assert chunk_run(chunk_id=first.pk) == "done"  # then the worker dies; the other chunks' messages are lost
    assert chunk_run(chunk_id=first.pk) == "skipped"  # a redelivered message does nothing
    JobChunk.objects.filter(pk__in=[c.pk for c in rest]).update(queued_at=timezone.now() - dt.timedelta(hours=1))
    requeued = jobs_sweep()
    for chunk in rest:
        chunk_run(chunk_id=chunk.pk)

    job.refresh_from_db()
    assert requeued == 2 and sorted(queued[-2:]) == sorted(c.pk for c in rest)
    assert (job.state, job.done, job.chunks_done) == ("done", 5, 3)
    per_app = Evaluation.objects.filter(rule_version=version, trigger="publish").values_list("application_id", flat=True)
    assert len(per_app) == len(set(per_app)) == 5
    assert jobs_sweep() == 0


def test_starting_the_same_job_twice_returns_the_first(monkeypatch):
    from subsidies.services.reevaluation import reevaluation_start

    submitted_applications(1)
    version = publish_unchanged_copy()

    again = reevaluation_start(version=version)

    assert Job.objects.filter(key=f"reevaluation:v{version.number}").count() == 1
    assert again.key == f"reevaluation:v{version.number}"
