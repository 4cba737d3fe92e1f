"""Every submitted application gets exactly one evaluation, while web processes die during submits and worker
pool processes and whole workers die during the drain (SIGKILL, as the OOM killer and operators do it)."""
from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

from rest_framework.authtoken.models import Token

from catalogue.models import Clause
from notifications.models import Notification
from subsidies.models import Application, Evaluation
from subsidies.models.applications import Status
from tests.factories import STANDARD_FACTS, applicant

from .stack import children, wait_until

SUBMISSIONS = 240


def drafts(n: int) -> tuple[str, list[int]]:
    owner = applicant()
    org = owner.profile.organisation
    clause = Clause.objects.get(code="FIM-4.2")
    Application.objects.bulk_create([
        Application(reference=f"SUB{i:09d}", organisation=org, created_by=owner, clause=clause, facts=STANDARD_FACTS,
                    as_of=dt.date(2026, 6, 1), amount_requested_yuan=300_000, status=Status.DRAFT,
                    achievement_kind="standard_international", achievement_key=f"ISO {i + 1}:2026",
                    achievement_normalised=f"ISO {i + 1}:2026")
        for i in range(n)
    ])
    ids = list(Application.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True))
    return Token.objects.create(user=owner).key, ids


def submit(url: str, token: str, app_id: int) -> int:
    """POST the submit until an answer comes back (the client retries, as people do when a page dies)."""
    for _ in range(40):
        request = urllib.request.Request(f"{url}/api/v1/applications/{app_id}/submit/", method="POST", data=b"",
                                         headers={"Authorization": f"Token {token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return exc.code
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    return 0


def test_every_submission_is_evaluated_exactly_once_while_web_and_worker_processes_are_killed(stack):
    token, ids = drafts(SUBMISSIONS)
    url = stack.web(workers=2)
    stack.worker(concurrency=2)
    stack.beat()
    answers: dict[int, int] = {}
    pending = list(ids)
    lock = threading.Lock()

    def client():
        while True:
            with lock:
                if not pending:
                    return
                app_id = pending.pop()
            answers[app_id] = submit(url, token, app_id)

    clients = [threading.Thread(target=client) for _ in range(6)]
    for t in clients:
        t.start()
    rng, web_kills, pool_kills = random.Random(11), 0, 0
    while any(t.is_alive() for t in clients):
        time.sleep(0.4)
        web_workers = children(stack.procs["web"].pid)
        if web_workers and web_kills < 6:
            stack.kill(rng.choice(web_workers))  # gunicorn's master starts a new one
            web_kills += 1
        pool = stack.pool_pids()
        if pool and pool_kills < 4:
            stack.kill(rng.choice(pool))
            pool_kills += 1
    for t in clients:
        t.join()
    stack.kill_all("worker")  # then the whole worker, with whatever it held
    stack.worker(name="worker2", concurrency=2)

    def all_done():
        states = Counter(Evaluation.objects.filter(application_id__in=ids, trigger="submission")
                         .values_list("state", flat=True))
        return states.get("done", 0) == SUBMISSIONS and sum(states.values()) == SUBMISSIONS

    wait_until(all_done, 180, interval=1, what="every submission evaluated")

    per_app = Counter(Evaluation.objects.filter(application_id__in=ids, trigger="submission")
                      .values_list("application_id", flat=True))
    statuses = Counter(Application.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert web_kills >= 3 and pool_kills >= 1
    assert Counter(answers.values()) == Counter({200: SUBMISSIONS}), Counter(answers.values())
    assert statuses == Counter({Status.SUBMITTED: SUBMISSIONS})
    assert set(per_app.values()) == {1} and len(per_app) == SUBMISSIONS
    assert json.dumps(sorted(per_app)) == json.dumps(sorted(ids))
    # The receipt is written with the submission and keyed by its event: one per submission, however often retried.
    receipts = Counter(Notification.objects.filter(kind="application.received").values_list("recipient_id", "url"))
    assert len(receipts) == SUBMISSIONS and set(receipts.values()) == {1}
