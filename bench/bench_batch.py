"""Batch work after a publication, before and after: re-evaluating the open applications, and the impact preview.

    .venv/bin/python bench/bench_batch.py [--applications 100000] [--before-applications 3000] [--workers 2]

For each run: a fresh PostgreSQL database, migrated and loaded from fixtures/; N open applications
seeded in bulk (each with a first evaluation); Celery worker processes started on Redis (the
configured broker, --workers processes); then a new rule version is published and the time until its
re-evaluation job has finished is measured; then a draft is previewed against it (a background job
over all subjects now; inside the request before). Runs the baseline (git archive of --baseline) on
--before-applications, the current tree on the same number, then the current tree on --applications.
Prints the wall times, the rates, and the size of the evaluation table with the load average.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379 (bin/services).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_http import PG, PYTHON, baseline_tree  # noqa: E402
from common import DEFAULT_BASELINE, ROOT, loadavg, table  # noqa: E402

CELERY = str(ROOT / ".venv" / "bin" / "celery")


def environment(db: str, redis_db: int) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "policy_portal.settings", "DJANGO_SECRET_KEY": "bench",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": PG + db,
           "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}", "LOG_LEVEL": "WARNING", "CELERY_TASK_ALWAYS_EAGER": "0"}
    env.pop("DJANGO_DEBUG", None)
    return env


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def step(root: Path, env: dict, *args: str) -> dict:
    out = subprocess.run([PYTHON, str(root / "bench" / "batch_phases.py"), *args], cwd=root, env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(name: str, root: Path, n: int, workers: int, db: str, redis_db: int, timeout: float) -> dict:
    env = environment(db, redis_db)
    psql(f"DROP DATABASE IF EXISTS {db}")
    psql(f"CREATE DATABASE {db}")
    subprocess.run(["redis-cli", "-n", str(redis_db), "flushdb"], check=True, capture_output=True)
    for command in (["migrate", "--noinput", "-v0"], ["load_policies"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=root, env=env, check=True, capture_output=True)
    seeded = step(root, env, "seed", str(n))
    worker = subprocess.Popen(
        [CELERY, "-A", "policy_portal", "worker", "--concurrency", str(workers), "--pool", "prefork", "-l", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)  # the worker processes start and connect to the broker
        load0 = loadavg()
        published = step(root, env, "publish", str(timeout))
        load1 = loadavg()
        previewed = step(root, env, "impact", str(timeout))
        load2 = loadavg()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    result = {"name": name, "n": n, "seed": seeded, "publish": published, "impact": previewed,
              "load_publish": (load0 + load1) / 2, "load_impact": (load1 + load2) / 2}
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--before-applications", type=int, default=3_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    runs = []
    base_root = None
    try:
        if not args.no_baseline:
            base_root = baseline_tree(args.baseline)
            (base_root / "bench").mkdir(exist_ok=True)
            shutil.copy(ROOT / "bench" / "batch_phases.py", base_root / "bench" / "batch_phases.py")
            runs.append(run(f"before ({args.baseline})", base_root, args.before_applications, args.workers,
                            "bench_batch_before", 14, args.timeout))
            runs.append(run("now", ROOT, args.before_applications, args.workers, "bench_batch_now", 15, args.timeout))
        runs.append(run("now", ROOT, args.applications, args.workers, "bench_batch_now", 15, args.timeout))
    finally:
        if base_root:
            shutil.rmtree(base_root, ignore_errors=True)
    rows = []
    for r in runs:
        p, i = r["publish"], r["impact"]
        rows.append([r["name"], f"{r['n']:,}", f"{p['seconds']:.1f}", f"{p['done'] / max(p['seconds'], 1e-9):,.0f}",
                     f"{p['evaluation_table_bytes'] / max(p['evaluations'], 1):,.0f}", f"{r['load_publish']:.2f}",
                     i["mode"], f"{i['subjects']:,}", f"{i['seconds']:.1f}", f"{r['load_impact']:.2f}"])
    print()
    print(table(rows, ["code", "open applications", "re-evaluation s", "applications/s", "bytes per evaluation row",
                       "load", "impact preview", "subjects", "impact s", "load"]))


if __name__ == "__main__":
    main()
