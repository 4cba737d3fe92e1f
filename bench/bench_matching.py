"""Matching at the scale of a city: a full re-match of N synthetic organisations, and one list import's worth.

    .venv/bin/python bench/bench_matching.py [--organisations 100000] [--workers 2] [--incremental 1000]

A fresh PostgreSQL database (bench_matching), migrated and loaded from fixtures/; N organisations seeded in
bulk, each with 3–10 facts drawn from the vocabulary with valid values (dates around the policy period, enums
and levels at random, 2 % national single champions); Celery worker processes (--workers, prefork) on a
queue of their own in Redis. Then:

- full: every organisation matched under the current version (the run a publication starts when every
  clause changed); wall time from the job's creation until its last chunk is done;
- incremental: an official list of --incremental of those organisations (a CSV of the 单项冠军 kind) is
  previewed and applied through the services an administrator's page calls; wall time of the preview, and
  from the apply until its matching job is done.

Prints organisations/s, matches found, the workers' peak RSS (each pool process, sampled every 0.2 s) and
the load average. Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CELERY = str(ROOT / ".venv" / "bin" / "celery")
DB = "bench_matching"


def environment(queue: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "policy_portal.settings", "DJANGO_SECRET_KEY": "bench",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
           "REDIS_URL": "redis://127.0.0.1:6379/12", "LOG_LEVEL": "WARNING", "CELERY_TASK_ALWAYS_EAGER": "0",
           "CELERY_QUEUE": queue}
    env.pop("DJANGO_DEBUG", None)
    return env


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# ---------------------------------------------------------------- phases, run in a child with Django set up


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def phase_seed(n: int) -> dict:
    import datetime as dt
    import random

    from django.utils import timezone

    from accounts.credit_code import check_digit
    from accounts.models import Organisation
    from matching.models import OrganisationFact, Source
    from rules.operators import FactType
    from rules.selectors import current_version, rulebook_for_version

    t0 = time.perf_counter()
    book = rulebook_for_version(current_version())
    vocabulary = [s for s in book.vocabulary.values() if s.code not in ("org_type", "registered_in_chongqing")]
    rng = random.Random(13)
    start = dt.date(2025, 6, 1)

    def value(spec):
        t = spec.type
        if t == FactType.BOOL:
            return rng.random() < 0.5
        if t == FactType.DATE:
            return (start + dt.timedelta(days=rng.randrange(0, 900))).isoformat()
        if t == FactType.ENUM:
            return rng.choice(spec.choices)
        if t == FactType.MULTI:
            return rng.sample(list(spec.choices), k=min(len(spec.choices), rng.randint(1, 3)))
        if t == FactType.RATIO:
            return str(rng.randint(0, 10000) / 100)
        if t in (FactType.INT, FactType.MONEY):
            hi = spec.max_value if spec.max_value is not None else 10**8
            return rng.randint(spec.min_value or 0, min(hi, 10**8))
        return f"文本{rng.randint(1, 999)}"

    kinds = ["enterprise"] * 17 + ["university", "research_institute", "incubator"]
    now = timezone.now()
    batch = 5000
    facts_written = 0
    for first in range(0, n, batch):
        orgs = []
        for i in range(first, min(n, first + batch)):
            first17 = f"915001{i:011d}"
            orgs.append(Organisation(name=f"重庆基准企业{i}", credit_code=first17 + check_digit(first17),
                                     district="" if rng.random() < 0.05 else "渝北区", org_type=rng.choice(kinds),
                                     status="verified"))
        orgs = Organisation.objects.bulk_create(orgs)
        rows = []
        for org in orgs:
            chosen = {s.code: value(s) for s in rng.sample(vocabulary, rng.randint(3, 10))}
            if rng.random() < 0.02:  # a national single champion of the policy period
                chosen.update({"future_industry_field": "embodied_ai", "national_single_champion_recognition_type": "first",
                               "national_single_champion_recognised_on": "2026-05-20"})
            rows += [OrganisationFact(organisation=org, fact=f, value=v, source=Source.IMPORTED if rng.random() < 0.5
                                      else Source.SELF, confirmed_at=now) for f, v in chosen.items()]
        OrganisationFact.objects.bulk_create(rows, batch_size=5000)
        facts_written += len(rows)
    return {"organisations": n, "facts": facts_written, "seconds": round(time.perf_counter() - t0, 1)}


def _wait(job, timeout: float):
    from jobs.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job.pk)
        if job.state == Job.State.DONE:
            return job
        time.sleep(0.1)
    raise SystemExit(f"job {job.key} did not finish in {timeout} s ({job.done}/{job.total})")


def _matches_found(job) -> int:
    return sum(c.result.get("matches", 0) for c in job.chunks.all())


def phase_full(timeout: float, chunk_size: int) -> dict:
    from matching.services.matching import matching_start_all

    t0 = time.perf_counter()
    job = matching_start_all(trigger="bench", chunk_size=chunk_size or None)
    job = _wait(job, timeout)
    seconds = time.perf_counter() - t0
    return {"organisations": job.total, "seconds": round(seconds, 2), "per_second": round(job.total / seconds),
            "matches": _matches_found(job), "chunks": job.chunks_total}


def phase_incremental(n: int, timeout: float) -> dict:
    import csv
    import io

    from django.contrib.auth import get_user_model

    from accounts.models import Organisation, Profile, Role
    from matching.services.lists import list_import_apply, list_import_preview

    admin, _ = get_user_model().objects.get_or_create(username="bench-admin")
    Profile.objects.get_or_create(user=admin, defaults={"role": Role.ADMIN})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["序号", "企业名称", "统一社会信用代码", "认定日期", "认定类型", "所属领域"])
    for i, (name, code) in enumerate(Organisation.objects.order_by("?").values_list("name", "credit_code")[:n], 1):
        writer.writerow([i, name, code, "2026年5月20日", "首次认定", "具身智能"])
    t0 = time.perf_counter()
    record = list_import_preview(actor=admin, kind_code="single_champion_national", data=out.getvalue().encode(),
                                 file_name="bench.csv")
    preview = time.perf_counter() - t0
    assert not record.summary["error_count"], record.summary["errors"][:3]
    t1 = time.perf_counter()
    record = list_import_apply(actor=admin, import_id=record.pk)
    job = _wait(record.job, timeout)
    seconds = time.perf_counter() - t1
    return {"organisations": job.total, "preview_seconds": round(preview, 2), "apply_and_match_seconds": round(seconds, 2),
            "matches": _matches_found(job)}


# ---------------------------------------------------------------- the driver


def step(env: dict, *args: str) -> dict:
    out = subprocess.run([PYTHON, __file__, "--phase", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def sampled(env: dict, worker_pid: int, *args: str) -> tuple[dict, float, float, float]:
    """Run a phase while sampling the worker pool's RSS; (result, peak MB, first MB, mean load)."""
    proc = subprocess.Popen([PYTHON, __file__, "--phase", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peak, first, loads = 0.0, None, []
    pool = children(worker_pid)
    cpu0 = sum(cpu_seconds(p) for p in pool)
    while proc.poll() is None:
        sizes = [rss_mb(p) for p in children(worker_pid)]
        if sizes:
            first = first if first is not None else max(sizes)
            peak = max(peak, *sizes)
        loads.append(os.getloadavg()[0])
        time.sleep(0.2)
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(err)
    result = json.loads(out.strip().splitlines()[-1])
    result["worker_cpu_seconds"] = round(sum(cpu_seconds(p) for p in pool) - cpu0, 1)
    return result, peak, first or 0.0, sum(loads) / max(1, len(loads))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--incremental", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--chunk-size", type=int, default=0, help="default: matching's own (CHUNK_SIZE)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run: no seeding")
    parser.add_argument("--phase", nargs="+")
    args = parser.parse_args()
    if args.phase:
        _django()
        name, *rest = args.phase
        result = {"seed": lambda: phase_seed(int(rest[0])), "full": lambda: phase_full(float(rest[0]), int(rest[1])),
                  "incremental": lambda: phase_incremental(int(rest[0]), float(rest[1]))}[name]()
        print(json.dumps(result), flush=True)
        return

    env = environment(f"bench-matching-{uuid.uuid4().hex[:8]}")
    if not args.reuse:
        for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)
        for command in (["migrate", "--noinput", "-v0"], ["load_policies"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
        seeded = step(env, "seed", str(args.organisations))
        print(f"seeded {seeded['organisations']:,} organisations with {seeded['facts']:,} facts in {seeded['seconds']} s",
              flush=True)
    # What autovacuum does a minute after a bulk load: without statistics the planner scans the facts table
    # for every chunk instead of using its index (0.3 s a chunk instead of 0.01 s).
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-qc", "ANALYZE"], check=True,
                   capture_output=True)
    worker = subprocess.Popen(
        [CELERY, "-A", "policy_portal", "worker", "--concurrency", str(args.workers), "--pool", "prefork",
         "-Q", env["CELERY_QUEUE"], "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(6)  # the pool starts and connects to the broker
        full, peak, first, load = sampled(env, worker.pid, "full", str(args.timeout), str(args.chunk_size))
        print(f"full re-match: {full['organisations']:,} organisations in {full['seconds']} s "
              f"({full['per_second']:,} organisations/s, {full['chunks']} chunks, {args.workers} worker processes); "
              f"matches found {full['matches']:,}; worker CPU {full['worker_cpu_seconds']} s "
              f"({full['organisations'] / max(full['worker_cpu_seconds'], 0.1):,.0f} organisations per CPU-second); "
              f"worker RSS first {first:.0f} MB, peak {peak:.0f} MB; load average {load:.1f}", flush=True)
        inc, peak2, _first, load2 = sampled(env, worker.pid, "incremental", str(args.incremental), str(args.timeout))
        print(f"incremental (one list of {inc['organisations']:,} organisations): preview {inc['preview_seconds']} s, "
              f"apply + re-match {inc['apply_and_match_seconds']} s; matches found {inc['matches']:,}; "
              f"worker CPU {inc['worker_cpu_seconds']} s; "
              f"worker RSS peak {peak2:.0f} MB; load average {load2:.1f}", flush=True)
    finally:
        worker.terminate()
        worker.wait(timeout=60)


if __name__ == "__main__":
    main()
