"""Memory of one long-lived process across many real publications (issue 4: flat over 500). A script, not a test.

    bench/bench_publish_memory.py [--publishes 500]

Uses a throw-away SQLite database in a temporary folder: migrates, loads the policies, then repeats
draft → edit FIM-4.2's cap → submit → publish (compile check in a child process and the whole case
library) → one eligibility check that compiles the new version in this process, printing this
process's RSS every 50 publications and the time per cycle.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = tempfile.mkdtemp(prefix="bench-publish-")
os.environ.update({"DJANGO_SETTINGS_MODULE": "policy_portal.settings", "DJANGO_DEBUG": "1", "PORTAL_VAR_DIR": VAR,
                   "LOG_LEVEL": "WARNING"})
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import reset_queries  # noqa: E402

STANDARD = {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai",
            "intl_standard_role": "lead", "intl_standard_published_on": "2026-03-01"}


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--publishes", type=int, default=500)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_policies", stdout=open(os.devnull, "w"))

    from eligibility.services import eligibility_check
    from rules.engine import engine
    from rules.models import GoldenCase
    from rules.selectors import clause_edit_args
    from rules.services import clause_rule_edit, ruleset_draft_create, ruleset_publish, ruleset_submit

    users = get_user_model()
    author, reviewer = users.objects.create(username="author"), users.objects.create(username="reviewer")
    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False).update(amount_yuan=None)
    eligibility_check(facts=STANDARD, as_of=dt.date(2026, 6, 1))
    start_rss, started = rss_mb(), time.perf_counter()
    print(f"publishes  rss_mb  compiled_versions  s_per_publish")
    print(f"{0:9d}  {start_rss:6.1f}  {len(engine.compiled_keys()):17d}  -")
    for i in range(1, args.publishes + 1):
        draft = ruleset_draft_create(actor=author)
        clause_rule_edit(actor=author, version=draft, clause_code="FIM-4.2",
                         **{**clause_edit_args(draft, "FIM-4.2"), "amount_yuan": 500_000 + i})
        ruleset_submit(actor=author, version=draft)
        ruleset_publish(actor=reviewer, version=draft)
        result = eligibility_check(facts=STANDARD, as_of=dt.date(2026, 6, 1))
        assert result["ruleset_version"] == draft.number
        reset_queries()  # DEBUG keeps every SQL query of the process; production (DEBUG off) does not
        if i % 50 == 0:
            per = (time.perf_counter() - started) / i
            print(f"{i:9d}  {rss_mb():6.1f}  {len(engine.compiled_keys()):17d}  {per:.3f}", flush=True)
    print(f"growth over {args.publishes} publishes: {rss_mb() - start_rss:+.1f} MB (temporary database in {VAR})")


if __name__ == "__main__":
    main()
