"""What the benchmarks share: a database to run on, the code as it was before (a git ref), and the table.

The machine is shared and noisy, so every benchmark runs its variants interleaved (each input goes
through every variant in turn), reports medians, and prints the load average beside each figure.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "1d7b8e1"  # the commit before this work (issue 15): the "before" column


def loadavg() -> float:
    return os.getloadavg()[0]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def django_setup(*, database_url: str | None = None) -> None:
    """Django on `database_url`, or on a throw-away SQLite database; migrated and loaded when empty."""
    sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ.update({"DATABASE_URL": database_url, "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench"),
                           "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1"})
    else:
        var = tempfile.mkdtemp(prefix="bench-")
        os.environ.update({"DJANGO_DEBUG": "1", "PORTAL_VAR_DIR": var})
        os.environ.pop("DATABASE_URL", None)
    os.environ.update({"DJANGO_SETTINGS_MODULE": "policy_portal.settings", "LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    from django.core.management import call_command

    from rules.models import RuleVersion

    call_command("migrate", verbosity=0)
    if not RuleVersion.objects.filter(status=RuleVersion.Status.PUBLISHED).exists():
        call_command("load_policies", verbosity=0)


def baseline_package(ref: str, files: list[str], package: str = "baseline_rules") -> Path:
    """`rules/<file>` of git `ref`, extracted into a package of its own (imported as `package`)."""
    target = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / package
    target.mkdir()
    (target / "__init__.py").write_text("")
    for name in files:
        text = subprocess.run(["git", "show", f"{ref}:rules/{name}"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout
        (target / name).write_text(text)
    sys.path.insert(0, str(target.parent))
    return target


def cleanup(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])
