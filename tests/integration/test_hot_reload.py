"""A publication takes effect in another running process within seconds, without a restart."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from catalogue.loading import policies_load
from tests.factories import STANDARD_FACTS, UserFactory

PROBE = """
import datetime as dt, json, sys, time
import django
django.setup()
from eligibility.services import eligibility_check
facts = json.loads(sys.argv[1])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    result = eligibility_check(facts=facts, as_of=dt.date(2026, 6, 1))
    cap = next((e["amount_yuan"] for e in result["eligible"] if e["code"] == "FIM-4.2"), None)
    print(json.dumps({"version": result["ruleset_version"], "cap": cap}), flush=True)
    time.sleep(0.1)
"""


@pytest.fixture
def other_process(transactional_db):
    policies_load()
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    proc = subprocess.Popen([sys.executable, "-c", PROBE, json.dumps(STANDARD_FACTS)], cwd=Path(settings.BASE_DIR),
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc
    proc.kill()
    proc.wait()


def read_answer(proc):
    line = proc.stdout.readline()
    if not line:
        pytest.fail("the other process stopped: " + proc.stderr.read())
    return json.loads(line)


@pytest.mark.integration
def test_a_publication_reaches_another_process_within_seconds(other_process):
    from rules.models import GoldenCase
    from rules.selectors import clause_edit_args
    from rules.services import clause_rule_edit, ruleset_draft_create, ruleset_publish, ruleset_submit

    first = read_answer(other_process)
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    clause_rule_edit(actor=author, version=draft, clause_code="FIM-4.2",
                     **{**clause_edit_args(draft, "FIM-4.2"), "amount_yuan": 800_000})
    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False).update(amount_yuan=800_000)
    ruleset_submit(actor=author, version=draft)

    ruleset_publish(actor=UserFactory(), version=draft, acknowledgements={"FIM-4.2": "the bureau raised the cap"})
    published_at = time.monotonic()
    answer = read_answer(other_process)
    while answer["version"] != draft.number and time.monotonic() - published_at < 10:
        answer = read_answer(other_process)
    latency = time.monotonic() - published_at

    assert first == {"version": draft.number - 1, "cap": 500_000}
    assert answer == {"version": draft.number, "cap": 800_000}
    assert latency < 5, f"took {latency:.1f} s"
