"""What would make a clause apply: the golden cases of tests/matching/whatif_cases.yaml, through the API."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).parent / "whatif_cases.yaml").read_text(encoding="utf-8"))["cases"]
pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/what-if"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_what_if_answer_names_the_cheapest_change_per_unmet_group(client, case):
    body = {"clause": case["clause"], "as_of": case["as_of"], "facts": case["facts"],
            "allow_unchangeable": case.get("allow_unchangeable", False)}

    response = client.post(URL, body, content_type="application/json")

    assert response.status_code == 200, response.content
    answer = response.json()
    expected = case["expected"]
    assert {c["fact"]: c["target"] for c in answer["changes"]} == expected["changes"]
    assert sorted(f for g in answer["unchangeable"] for f in g["facts"]) == sorted(expected.get("unchangeable", []))
    assert answer["status_after"] == expected["status_after"]


def test_an_unknown_clause_and_a_bad_fact_are_refused_by_field(client):
    unknown = client.post(URL, {"clause": "FIM-99", "facts": {}}, content_type="application/json")
    bad = client.post(URL, {"clause": "FIM-6.2", "facts": {"registered_in_chongqing": "yes"}},
                      content_type="application/json")

    assert (unknown.status_code, unknown.json()["code"], unknown.json()["field"]) == (400, "unknown_clause", "clause")
    assert (bad.status_code, bad.json()["field"]) == (400, "facts.registered_in_chongqing")
