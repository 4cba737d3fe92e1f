"""A re-evaluation after a publication finishes, every application evaluated exactly once, while its worker's pool
processes are killed with SIGKILL and then the whole worker is killed and started again."""
from __future__ import annotations

import datetime as dt
import random
import time

from django.utils import timezone

from catalogue.models import Bureau, Clause
from jobs.models import Job, JobChunk
from rules.services import ruleset_draft_create, ruleset_publish, ruleset_submit
from subsidies.models import Application, Evaluation
from subsidies.models.applications import Status
from tests.factories import STANDARD_FACTS, UserFactory, applicant

from .stack import wait_until

APPLICATIONS = 2000
CHUNK = 40


def open_applications(n: int) -> None:
    """n submitted applications, written in bulk (the workflow itself is tested elsewhere)."""
    owner = applicant()
    org = owner.profile.organisation
    clause, bureau = Clause.objects.get(code="FIM-4.2"), Bureau.objects.get(short_name_zh="市经济信息委")
    now = timezone.now()
    Application.objects.bulk_create([
        Application(reference=f"REL{i:09d}", organisation=org, created_by=owner, clause=clause, facts=STANDARD_FACTS,
                    as_of=dt.date(2026, 6, 1), amount_requested_yuan=1, status=Status.SUBMITTED, bureau=bureau,
                    submitted_at=now)
        for i in range(n)
    ])


def test_a_reevaluation_killed_midway_finishes_from_its_checkpoints_and_redoes_nothing(stack, monkeypatch):
    open_applications(APPLICATIONS)
    monkeypatch.setattr("jobs.services.DEFAULT_CHUNK_SIZE", CHUNK)
    worker = stack.worker(concurrency=2)
    stack.beat()
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    ruleset_submit(actor=author, version=draft)

    version = ruleset_publish(actor=UserFactory(), version=draft)  # autocommit: the chunks are queued at once
    job = Job.objects.get(key=f"reevaluation:v{version.number}")
    kills = 0
    rng = random.Random(7)
    deadline = time.monotonic() + 30
    # The OOM killer takes pool processes mid-chunk, then the whole worker goes while most chunks are still to do:
    # poll often, so that a fast machine cannot finish the job between two looks.
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.chunks_done >= 5 and kills >= 2:
            break
        pool = stack.pool_pids()
        if pool and job.chunks_done >= kills:  # one kill per finished chunk: the pool keeps making progress
            stack.kill(rng.choice(pool))
            kills += 1
        time.sleep(0.1)
    stack.kill_all("worker")  # then the whole worker, with whatever it had taken from Redis
    killed_at = Job.objects.get(pk=job.pk).chunks_done
    print(f"pool kills: {kills}, chunks done when the worker was killed: {killed_at}")
    stack.worker(name="worker2", concurrency=2)

    wait_until(lambda: Job.objects.get(pk=job.pk).state == Job.State.DONE, 180, what="the job to finish")

    job.refresh_from_db()
    per_app = list(Evaluation.objects.filter(rule_version=version, trigger="publish")
                   .values_list("application_id", flat=True))
    assert worker.poll() is not None and kills >= 1
    assert killed_at < job.chunks_total, "the worker was killed before the job finished"
    assert (job.total, job.done, job.chunks_done) == (APPLICATIONS, APPLICATIONS, APPLICATIONS // CHUNK)
    assert len(per_app) == len(set(per_app)) == APPLICATIONS
    assert JobChunk.objects.filter(job=job, state=JobChunk.State.DONE).count() == APPLICATIONS // CHUNK
