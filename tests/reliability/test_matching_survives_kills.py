"""A full matching run finishes with every organisation matched exactly once and every member notified once,
while its worker's pool processes are killed mid-chunk with SIGKILL and then the whole worker is killed and
started again (marked reliability by tests/reliability/conftest.py)."""
from __future__ import annotations

import random
import time

from django.utils import timezone

from accounts.models import Organisation, Profile, Role
from jobs.models import Job, JobChunk
from matching.models import Match, OrganisationFact, Source
from matching.services.matching import matching_start_all
from notifications.models import Notification
from tests.factories import UserFactory, credit_code

from .stack import wait_until

ORGANISATIONS = 1000
CHUNK = 50
MEMBERS = 20
CHAMPION = {"future_industry_field": "embodied_ai", "national_single_champion_recognised_on": "2026-05-20",
            "national_single_champion_recognition_type": "first"}


def champions(n: int) -> list[int]:
    """n enterprises recognised as national single champions (from an imported list), the first few with a member."""
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"重庆冠军{i}", credit_code=credit_code(800000 + i), district="渝北区", org_type="enterprise",
                     status="verified") for i in range(n)])
    now = timezone.now()
    OrganisationFact.objects.bulk_create([OrganisationFact(organisation=o, fact=f, value=v, source=Source.IMPORTED,
                                                           confirmed_at=now) for o in orgs for f, v in CHAMPION.items()])
    for org in orgs[:MEMBERS]:
        Profile.objects.create(user=UserFactory(), role=Role.APPLICANT, organisation=org)
    return [o.pk for o in orgs]


def test_a_matching_run_killed_midway_matches_every_organisation_exactly_once(stack):
    ids = champions(ORGANISATIONS)
    worker = stack.worker(concurrency=2)
    stack.beat()

    job = matching_start_all(chunk_size=CHUNK)  # autocommit: the chunks are queued at once
    kills, rng = 0, random.Random(13)
    deadline = time.monotonic() + 20
    while kills < 4 and time.monotonic() < deadline:  # pool processes die mid-chunk
        job.refresh_from_db()
        if job.done >= job.total:
            break
        pool = stack.pool_pids()
        if pool:
            stack.kill(rng.choice(pool))
            kills += 1
        time.sleep(0.4)
    stack.kill_all("worker")  # then the whole worker, with whatever it had taken from Redis
    killed_at = Job.objects.get(pk=job.pk).chunks_done
    stack.worker(name="worker2", concurrency=2)

    wait_until(lambda: Job.objects.get(pk=job.pk).state == Job.State.DONE, 240, what="the matching run to finish")

    job.refresh_from_db()
    chunks = list(JobChunk.objects.filter(job=job))
    matched = list(Match.objects.filter(clause__code="FIM-6.2").values_list("organisation_id", flat=True))
    assert worker.poll() is not None and kills >= 1
    assert killed_at < job.chunks_total, "the worker was killed before the run finished"
    assert (job.total, job.done, job.chunks_done) == (ORGANISATIONS, ORGANISATIONS, ORGANISATIONS // CHUNK)
    assert sorted(matched) == sorted(ids)  # every organisation matched, none twice
    assert sum(c.result["new"] for c in chunks) == ORGANISATIONS  # each found once: no chunk's effects repeated
    notified = list(Notification.objects.filter(kind="matching.new").values_list("recipient_id", flat=True))
    assert len(notified) == len(set(notified)) == MEMBERS  # one notification per member, never two
