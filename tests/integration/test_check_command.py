"""`manage.py check_eligibility`: the API's answer from a file or stdin; bad input is a one-line CommandError, exit 1."""
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.test import APIClient

from eligibility.services import eligibility_check

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
FACTS = {
    "org_type": "enterprise",
    "registered_in_chongqing": True,
    "future_industry_field": "embodied_ai",
    "intl_standard_role": "lead",
    "intl_standard_field": "embodied_ai",  # the standards' own field and 新认定's kind (issue 9)
    "intl_standard_published_on": "2026-03-01",
    "national_standard_role": "lead",
    "national_standard_field": "embodied_ai",
    "national_standard_published_on": "2026-03-01",
    "municipal_single_champion_recognised_on": "2026-04-01",
    "municipal_single_champion_recognition_type": "first",
}


def write(tmp_path, payload, name="facts.json"):
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("check_eligibility", *args, stdout=out)
    return out.getvalue()


def test_a_file_with_facts_and_as_of_prints_the_same_json_as_the_api(tmp_path):
    path = write(tmp_path, {"facts": FACTS, "as_of": "2026-06-01"})
    api_answer = APIClient().post(
        "/api/v1/eligibility/check", {"facts": FACTS, "as_of": "2026-06-01"}, format="json"
    ).json()

    printed = run(path)

    assert json.loads(printed) == api_answer
    assert json.loads(printed) == eligibility_check(facts=FACTS, as_of=dt.date(2026, 6, 1))
    assert [item["code"] for item in api_answer["eligible"]] == ["FIM-4.2", "FIM-4.3", "FIM-6.1"]


def test_the_json_is_indented_and_keeps_chinese_characters(tmp_path):
    path = write(tmp_path, {"facts": FACTS, "as_of": "2026-06-01"})

    printed = run(path)

    assert printed.startswith('{\n  "as_of": "2026-06-01",')
    assert "市经济信息委" in printed
    assert "\\u" not in printed


def test_a_bare_facts_object_is_checked_on_the_given_date(tmp_path):
    path = write(tmp_path, FACTS)

    result = json.loads(run(path, "--as-of", "2028-01-01"))

    assert result["as_of"] == "2028-01-01"
    assert not [item for item in result["eligible"] if item["code"].startswith("FIM-")]
    assert "FIM-4.2" in [item["code"] for item in result["near_misses"]]


def test_the_as_of_option_wins_over_the_files_date(tmp_path):
    path = write(tmp_path, {"facts": FACTS, "as_of": "2026-06-01"})

    result = json.loads(run(path, "--as-of", "2026-07-01"))

    assert result["as_of"] == "2026-07-01"


def test_a_dash_reads_the_facts_from_stdin(monkeypatch):
    payload = json.dumps({"facts": {"registered_in_chongqing": True, "iic_lead_unit": True}, "as_of": "2026-06-01"})

    result = json.loads(run("-", stdin=payload, monkeypatch=monkeypatch))

    assert "IIC-10" in [item["code"] for item in result["needs_review"]]


def test_the_ruleset_version_option_picks_a_published_version(tmp_path):
    path = write(tmp_path, FACTS)

    result = json.loads(run(path, "--as-of", "2026-06-01", "--ruleset-version", "1"))

    assert result["ruleset_version"] == 1


@pytest.mark.parametrize(
    "payload, args, field",
    [
        ('{"facts": {', [], "{path}: The input is not valid JSON: malformed at line 1"),
        ("[" * 100_000 + "]" * 100_000, [], "{path}: The input is not valid JSON: values nest deeper than 32 levels"),
        ("[1, 2]", [], "facts: expected a JSON object"),
        ('{"facts": []}', [], "facts: This value has the wrong form: expected an object"),
        ('{"facts": {}, "asof": "2026-06-01"}', [], "asof: unknown field"),
        ('{"turnover": 5}', [], "facts.turnover: The facts vocabulary has no fact turnover."),
        ('{"org_type": "company"}', [], "facts.org_type: The value is not one of the allowed choices."),
        ('{"facts": {}, "as_of": "2026-02-30"}', [], "as_of: Enter a real date from 1900 to 2200, written YYYY-MM-DD."),
        ("{}", ["--as-of", "2026-02-30"], "as_of: Enter a real date from 1900 to 2200, written YYYY-MM-DD."),
        ("{}", ["--as-of", "tomorrow"], "as_of: Enter a real date from 1900 to 2200, written YYYY-MM-DD."),
        ('{"facts": {}, "ruleset_version": "1"}', [], "ruleset_version: expected the number"),
        ("{}", ["--ruleset-version", "999"], "ruleset_version: No published rule version is numbered 999."),
        ("{}", ["--ruleset-version", "x"], "--ruleset-version: expected a positive whole number"),
    ],
)
def test_bad_input_is_a_command_error_naming_the_field(tmp_path, payload, args, field):
    path = write(tmp_path, payload)

    with pytest.raises(CommandError) as error:
        run(path, *args)

    assert str(error.value).startswith(field.format(path=path))


def test_a_missing_file_is_a_command_error_naming_it(tmp_path):
    missing = str(tmp_path / "nope.json")

    with pytest.raises(CommandError) as error:
        run(missing)

    assert str(error.value).startswith(f"{missing}: cannot read")


def _manage(*args, stdin: str) -> subprocess.CompletedProcess:
    # The child reads the test database, whose policies were committed when the session began.
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check_eligibility", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_from_the_shell_bad_input_exits_1_with_one_line_and_no_traceback():
    completed = _manage("-", stdin='{"facts": {"turnover": 5}}')

    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip() == "CommandError: facts.turnover: The facts vocabulary has no fact turnover."
    assert completed.stdout == ""


def test_from_the_shell_good_input_exits_0_with_the_answer():
    completed = _manage("-", "--as-of", "2026-06-01", stdin=json.dumps(FACTS))

    assert completed.returncode == 0, completed.stderr
    assert [item["code"] for item in json.loads(completed.stdout)["eligible"]] == ["FIM-4.2", "FIM-4.3", "FIM-6.1"]
