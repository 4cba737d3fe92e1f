"""HTTP load test of the check API, the clause catalogue and the checker page, before and after. A script.

    .venv/bin/python bench/bench_http.py [--seconds 5] [--clients 10,50,100] [--baseline 1d7b8e1 | --no-baseline]

Starts the portal under gunicorn (2 sync workers, PostgreSQL, Redis), as it is now and as it was at
--baseline (`git archive` into a temporary folder, its own database), loads both with the fixtures,
then drives each with an asyncio client: every (endpoint, number of clients) runs for --seconds on
the baseline and then on the current tree, back to back, so both see the same machine. Each client
sends its next request when the previous answer is complete (a closed loop); gunicorn's sync workers
close every connection, so each request opens one. Prints requests per second, median and p99
latency, and the load average during each run. The anonymous throttle is raised for the load
(PORTAL_CHECK_RATE), as a load test of one address must.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379 (bin/services).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_BASELINE, ROOT, loadavg, table  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432/"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

CHECK_BODIES = [
    {"as_of": "2026-06-01", "facts": {"org_type": "enterprise", "registered_in_chongqing": True,
                                      "future_industry_field": "embodied_ai", "intl_standard_role": "lead",
                                      "intl_standard_published_on": "2026-03-01"}},
    {"as_of": "2026-06-01", "facts": {"org_type": "enterprise", "registered_in_chongqing": True,
                                      "future_industry_field": "low_altitude", "tech_enterprise": True,
                                      "enterprise_stage": "startup"}},
    {"as_of": "2025-09-01", "facts": {"org_type": "industry_research_institute", "registered_in_chongqing": True}},
    {"as_of": "2026-06-01", "facts": {}},
]


def request_bytes(method: str, path: str, body: bytes = b"", headers: dict | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Accept: */*"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def endpoints(etag: str | None) -> dict[str, list[bytes]]:
    out = {
        "POST /api/v1/eligibility/check": [
            request_bytes("POST", "/api/v1/eligibility/check", json.dumps(b, ensure_ascii=False).encode())
            for b in CHECK_BODIES],
        "GET /api/v1/clauses/": [request_bytes("GET", "/api/v1/clauses/")],
        "GET /check/": [request_bytes("GET", "/check/")],
    }
    if etag:
        out["GET /api/v1/clauses/ (revalidating, 304)"] = [
            request_bytes("GET", "/api/v1/clauses/", headers={"If-None-Match": etag})]
    return out


async def one(port: int, payload: bytes) -> tuple[int, float]:
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    data = await reader.read()  # Connection: close: the answer ends with the connection
    writer.close()
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    return status, time.perf_counter() - t0


async def drive(port: int, payloads: list[bytes], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop = time.perf_counter() + seconds

    async def client(k: int):
        i = k
        while time.perf_counter() < stop:
            try:
                status, elapsed = await one(port, payloads[i % len(payloads)])
            except OSError:
                status, elapsed = 0, 0.0
            statuses[status] = statuses.get(status, 0) + 1
            if status:
                latencies.append(elapsed)
            i += 1

    t0 = time.perf_counter()
    load = [loadavg()]
    await asyncio.gather(*(client(k) for k in range(clients)))
    wall = time.perf_counter() - t0
    load.append(loadavg())
    latencies.sort()
    ok = sum(n for s, n in statuses.items() if s in (200, 304))
    return {
        "rps": ok / wall,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else float("nan"),
        "errors": sum(n for s, n in statuses.items() if s not in (200, 304)),
        "statuses": statuses,
        "load": statistics.mean(load),
    }


class Site:
    """One tree (now, or the baseline) served by gunicorn on its own database and Redis database."""

    def __init__(self, name: str, root: Path, port: int, db: str, redis_db: int, workers: int):
        self.name, self.root, self.port, self.db = name, root, port, db
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "policy_portal.settings", "DJANGO_SECRET_KEY": "bench",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": PG + db,
            "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}", "PORTAL_CHECK_RATE": "100000000/min",
            "LOG_LEVEL": "WARNING", "DJANGO_SECURE_COOKIES": "0",
        }
        self.env.pop("DJANGO_DEBUG", None)
        self.workers = workers
        self.proc = None

    def prepare(self) -> None:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {self.db}"],
                       check=True, capture_output=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {self.db}"],
                       check=True, capture_output=True)
        for command in (["migrate", "--noinput", "-v0"], ["load_policies"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=self.root, env=self.env, check=True,
                           capture_output=True)
        subprocess.run(["redis-cli", "-n", self.env["REDIS_URL"].rsplit("/", 1)[1], "flushdb"], check=True,
                       capture_output=True)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [GUNICORN, "policy_portal.wsgi", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--backlog", "2048", "--log-level", "warning"],
            cwd=self.root, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = asyncio.run(one(self.port, request_bytes("GET", "/api/v1/clauses/")))
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name}: gunicorn did not answer: {self.proc.stderr.read1().decode()}")

    def etag(self) -> str | None:
        async def head():
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            writer.write(request_bytes("GET", "/api/v1/clauses/"))
            data = await reader.read()
            writer.close()
            return data
        for line in asyncio.run(head()).split(b"\r\n\r\n")[0].split(b"\r\n"):
            if line.lower().startswith(b"etag:"):
                return line.split(b":", 1)[1].strip().decode()
        return None

    def warm(self, payloads: dict[str, list[bytes]]) -> None:
        async def go():
            for reqs in payloads.values():
                for r in reqs * 4:
                    await one(self.port, r)
        asyncio.run(go())

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def baseline_tree(ref: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="bench-http-baseline-"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="10,50,100")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--only", default="", help="run only the endpoints whose name contains this")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]

    sites = [Site("now", ROOT, 8811, "bench_http_now", 11, args.workers)]
    base_root = None
    if not args.no_baseline:
        base_root = baseline_tree(args.baseline)
        sites.insert(0, Site(f"before ({args.baseline})", base_root, 8810, "bench_http_before", 10, args.workers))
    try:
        for site in sites:
            site.prepare()
            site.start()
        etags = {site.name: site.etag() for site in sites}
        print(f"gunicorn: {args.workers} sync workers per site; {args.seconds:.0f} s per run; "
              f"ETag on /api/v1/clauses/: {etags}; cpus {os.cpu_count()}")
        per_site = {site.name: endpoints(etags[site.name]) for site in sites}
        for site in sites:
            site.warm(per_site[site.name])
        rows = []
        names = list(per_site[sites[-1].name])
        random.seed(1)
        for name in names:
            if args.only and args.only not in name:
                continue
            for n in clients:
                row = [name, str(n)]
                for site in sites:
                    payloads = per_site[site.name].get(name)
                    if payloads is None:
                        row += ["—", "—", "—", "—"]
                        continue
                    result = asyncio.run(drive(site.port, payloads, n, args.seconds))
                    bad = f" ({result['errors']} errors)" if result["errors"] else ""
                    row += [f"{result['rps']:.0f}{bad}", f"{result['p50']:.1f}", f"{result['p99']:.1f}",
                            f"{result['load']:.2f}"]
                rows.append(row)
                print(" | ".join(row), flush=True)
        header = ["endpoint", "clients"]
        for site in sites:
            header += [f"{site.name} req/s", "p50 ms", "p99 ms", "load"]
        print()
        print(table(rows, header))
    finally:
        for site in sites:
            site.stop()
        if base_root:
            shutil.rmtree(base_root, ignore_errors=True)


if __name__ == "__main__":
    main()
