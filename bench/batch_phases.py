"""The steps of bench/bench_batch.py, run inside one tree (now, or the baseline's copy): seed, publish, preview.

    python batch_phases.py seed N           # N open applications (bulk), each with a first evaluation
    python batch_phases.py publish          # publish a new version; wait for its re-evaluation job
    python batch_phases.py impact           # preview a draft against the current version; wait for it

Only services and models that both trees have are used. Prints one JSON line per step.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policy_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402

FACTS = [
    {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai",
     "intl_standard_role": "lead", "intl_standard_published_on": "2026-03-01"},
    {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "low_altitude",
     "national_standard_role": "lead", "national_standard_published_on": "2026-02-01"},
    {"org_type": "enterprise", "registered_in_chongqing": False, "future_industry_field": "embodied_ai",
     "intl_standard_role": "participant"},
]
CLAUSES = ["FIM-4.2", "FIM-4.3"]


def system_user(name: str):
    user, _ = get_user_model().objects.get_or_create(username=name)
    return user


def seed(n: int) -> None:
    from accounts.models import Organisation, Profile, Role
    from catalogue.models import Bureau, Clause
    from rules.selectors import current_version
    from subsidies.models import Application, Evaluation

    t0 = time.perf_counter()
    version = current_version()
    user = system_user("bench-applicant")
    org, _ = Organisation.objects.get_or_create(credit_code="91500000MA5U7UB2XH", defaults={
        "name": "重庆基准测试科技有限公司", "district": "渝北区", "org_type": "enterprise"})
    Profile.objects.get_or_create(user=user, defaults={"role": Role.APPLICANT, "organisation": org})
    clauses = {c.code: c for c in Clause.objects.filter(code__in=CLAUSES)}
    bureau = Bureau.objects.order_by("pk").first()
    rng = random.Random(15)
    batch = 5000
    for start in range(0, n, batch):
        apps = [Application(reference=uuid.uuid4().hex[:12].upper(), organisation=org, created_by=user,
                            clause=clauses[rng.choice(CLAUSES)], facts=rng.choice(FACTS), as_of=dt.date(2026, 6, 1),
                            status="submitted", bureau=bureau, submitted_at=None)
                for _ in range(min(batch, n - start))]
        Application.objects.bulk_create(apps, batch_size=batch)
        Evaluation.objects.bulk_create([Evaluation(application=a, rule_version=version, state="done", as_of=a.as_of,
                                                   outcome="eligible", trigger="submission") for a in apps],
                                       batch_size=batch)
    size = connection.cursor()
    size.execute("select pg_total_relation_size('subsidies_evaluation')")
    print(json.dumps({"step": "seed", "applications": n, "seconds": round(time.perf_counter() - t0, 1),
                      "evaluation_table_bytes": size.fetchone()[0]}), flush=True)


def _draft_with_new_cap(cap: int):
    from rules.models import GoldenCase
    from rules.selectors import clause_edit_args
    from rules.services import clause_rule_edit, ruleset_draft_create

    author = system_user("bench-author")
    draft = ruleset_draft_create(actor=author, note="bench")
    clause_rule_edit(actor=author, version=draft, clause_code="FIM-4.2",
                     **{**clause_edit_args(draft, "FIM-4.2"), "amount_yuan": cap})
    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False).update(amount_yuan=cap)
    return author, draft


def _wait(job_key: str, timeout: float) -> dict:
    from jobs.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.filter(key=job_key).first()
        if job is not None and job.state == Job.State.DONE:
            return {"done": job.done, "total": job.total, "changed": job.changed, "chunks": job.chunks_total}
        time.sleep(0.2)
    job = Job.objects.filter(key=job_key).first()
    return {"timeout": True, "done": job.done if job else 0, "total": job.total if job else None}


def publish(timeout: float) -> None:
    from rules.services import ruleset_publish, ruleset_submit

    author, draft = _draft_with_new_cap(800_000)
    ruleset_submit(actor=author, version=draft)
    t_publish = time.perf_counter()
    ruleset_publish(actor=system_user("bench-reviewer"), version=draft)
    t0 = time.perf_counter()
    result = _wait(f"reevaluation:v{draft.number}", timeout)
    wall = time.perf_counter() - t0
    cursor = connection.cursor()
    cursor.execute("select pg_total_relation_size('subsidies_evaluation'), count(*) from subsidies_evaluation")
    size, rows = cursor.fetchone()
    print(json.dumps({"step": "publish", "publish_seconds": round(t0 - t_publish, 2), "seconds": round(wall, 2),
                      **result, "evaluation_table_bytes": size, "evaluations": rows}), flush=True)


def impact(timeout: float) -> None:
    from rules import selectors_admin

    _author, draft = _draft_with_new_cap(900_000)
    t0 = time.perf_counter()
    if hasattr(selectors_admin, "version_impact_preview"):
        report, job = selectors_admin.version_impact_preview(draft)
        started = time.perf_counter() - t0
        if report is None:
            result = _wait(job.key, timeout)
            report, _ = selectors_admin.version_impact_preview(draft)
        mode = "job" if job else "inline"
    else:
        report, started, mode = selectors_admin.version_impact(draft), 0.0, "in the request"
    wall = time.perf_counter() - t0
    print(json.dumps({"step": "impact", "mode": mode, "seconds": round(wall, 2), "start_seconds": round(started, 2),
                      "subjects": report.subjects_evaluated, "changed": len(report.changes)}), flush=True)


if __name__ == "__main__":
    reset_queries()
    step = sys.argv[1]
    if step == "seed":
        seed(int(sys.argv[2]))
    elif step == "publish":
        publish(float(sys.argv[2]) if len(sys.argv) > 2 else 1800)
    elif step == "impact":
        impact(float(sys.argv[2]) if len(sys.argv) > 2 else 1800)
