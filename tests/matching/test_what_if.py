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


def test_the_what_if_page_shows_the_change_and_never_the_registration_place_unless_asked(client):
    import json
    from urllib.parse import urlencode

    facts = {"org_type": "enterprise", "registered_in_chongqing": False, "future_industry_field": "embodied_ai",
             "national_single_champion_recognised_on": "2026-05-20", "national_single_champion_recognition_type": "reconfirmed"}
    query = urlencode({"clause": "FIM-6.2", "as_of": "2026-06-01", "facts": json.dumps(facts)})

    page = client.get(f"/what-if/?{query}").content.decode()
    asked = client.get(f"/what-if/?{query}&allow_unchangeable=1").content.decode()

    assert "首次认定" in page and "无法改变的条件" in page
    assert "在重庆市注册" in page  # named as what cannot be changed
    assert "无法改变的条件" not in asked and "作出上述改变后即符合本条款" in asked


def test_a_near_miss_on_the_check_page_links_to_what_would_make_it_apply(client):
    response = client.post("/check/", {"as_of": "2026-06-01", "org_type": "enterprise", "registered_in_chongqing": "true",
                                       "future_industry_field": "embodied_ai", "intl_standard_role": "participant",
                                       "intl_standard_field": "embodied_ai", "intl_standard_published_on": "2026-03-01"})

    page = response.content.decode()
    assert 'class="what-if-link" href="/what-if/?clause=FIM-4.2' in page
