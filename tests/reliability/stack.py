"""Real processes for the reliability tests: Celery workers (prefork), beat and gunicorn, on the test database.

Each stack has its own Redis queue, so tests (and concurrent test runs) never take each other's tasks.
Processes are killed the way the OOM killer and operators kill them: SIGKILL, no goodbyes.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
from django.conf import settings
from django.db import connection

from policy_portal.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Stack:
    """Processes sharing one queue and the test database; `stop()` ends them all."""

    def __init__(self, tmp_path: Path, **env):
        db = connection.settings_dict
        self.queue = f"rel-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp_path
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": REDIS,
            "CELERY_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            **{k: str(v) for k, v in env.items()},
        }
        self.procs: dict[str, subprocess.Popen] = {}
        self._saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
        self._reset_connections()
        celery_app.conf.update(broker_url=REDIS, task_always_eager=False, task_default_queue=self.queue)

    @staticmethod
    def _reset_connections():
        kombu.pools.reset()
        celery_app._after_fork()

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        return proc

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def worker(self, name: str = "worker", concurrency: int = 2) -> subprocess.Popen:
        proc = self._start(name, [sys.executable, "-m", "celery", "-A", "policy_portal", "worker", "-P", "prefork",
                                  "-c", str(concurrency), "-Q", self.queue, "-n", f"{name}-{self.queue}@%h",
                                  "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"])
        wait_until(lambda: len(children(proc.pid)) >= concurrency, 60, what=f"{name}'s pool")
        return proc

    def beat(self) -> subprocess.Popen:
        return self._start("beat", [sys.executable, "-m", "celery", "-A", "policy_portal", "beat", "-l", "info",
                                    "--schedule", str(self.tmp / "beat-schedule")])

    def web(self, workers: int = 2) -> str:
        port = free_port()
        self._start("web", [sys.executable, "-m", "gunicorn", "policy_portal.wsgi", "-w", str(workers),
                            "-b", f"127.0.0.1:{port}", "--timeout", "60"])
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: self._answers(url), 60, what="gunicorn")
        return url

    @staticmethod
    def _answers(url: str) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def pool_pids(self, name: str = "worker") -> list[int]:
        return children(self.procs[name].pid)

    def kill(self, pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def kill_all(self, name: str) -> None:
        """SIGKILL the process and everything in its session (a whole worker, pool included)."""
        proc = self.procs[name]
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def stop(self) -> None:
        for proc in self.procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        celery_app.conf.update(broker_url=self._saved[0], task_always_eager=self._saved[1],
                               task_default_queue=self._saved[2])
        self._reset_connections()
