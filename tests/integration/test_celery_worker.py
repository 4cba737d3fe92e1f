"""A submission evaluated by a real Celery worker process through real Redis."""
import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from catalogue.loading import policies_load
from policy_portal.celery import app as celery_app
from subsidies.models import Evaluation
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, applicant, standard_item

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(settings.BASE_DIR)


def reset_connections():
    """Close and forget every pool, so the next send (eager ones too) connects to the broker configured now.

    kombu keeps pools in a process-wide registry: closing one without removing it leaves later
    sends acquiring from a closed pool.
    """
    kombu.pools.reset()
    celery_app._after_fork()  # Celery's own reset: _pool and amqp._producer_pool back to None


@pytest.fixture
def worker(transactional_db):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS,
        "CELERY_QUEUE": queue,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "policy_portal", "worker", "-P", "solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    reset_connections()
    celery_app.conf.update(broker_url=REDIS, task_always_eager=False, task_default_queue=queue)
    try:
        yield proc
    finally:
        celery_app.conf.update(broker_url=saved[0], task_always_eager=saved[1], task_default_queue=saved[2])
        reset_connections()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.integration
def test_a_worker_evaluates_a_submitted_application_through_redis(worker):
    policies_load()
    user = applicant()
    app = application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(),
                             amount_requested_yuan=300_000, as_of=dt.date(2026, 6, 1))

    application_submit(actor=user, application_id=app.pk)  # autocommit: on_commit fires at once

    deadline = time.monotonic() + 60
    evaluation = Evaluation.objects.get(application=app)
    while evaluation.state == Evaluation.State.PENDING and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.2)
        evaluation.refresh_from_db()
    if worker.poll() is not None:
        pytest.fail("the worker exited:\n" + worker.stdout.read().decode(errors="replace"))
    assert evaluation.state == Evaluation.State.DONE
    assert evaluation.outcome == "eligible"
    assert evaluation.result["ruleset_version"] == evaluation.rule_version.number
