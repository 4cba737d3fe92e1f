"""POST /api/v1/eligibility/relevant-facts: the interview's next questions, the same rule the page uses; 不确定 in the check."""
import json

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import STANDARD_FACTS

pytestmark = pytest.mark.django_db

URL = "/api/v1/eligibility/relevant-facts"
OPENING = {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai"}


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def post(api, body, url=URL):
    return api.post(url, data=json.dumps(body), content_type="application/json")


def test_with_nothing_known_the_first_step_asks_who_where_and_which_field(api):
    response = post(api, {"as_of": "2026-06-01", "facts": {}})

    body = response.json()
    assert response.status_code == 200
    assert body["steps"][0] == ["org_type", "registered_in_chongqing", "future_industry_field"]
    assert body["done"] is False
    assert "standards" in body["topics"]


def test_an_enterprise_narrowed_to_standards_is_asked_only_standards_questions(api):
    response = post(api, {"as_of": "2026-06-01", "facts": OPENING, "topics": ["standards"]})

    body = response.json()
    asked = {f for step in body["steps"] for f in step}
    assert response.status_code == 200
    assert asked == {"future_patent_applicant", "intl_standard_field", "national_standard_field"}
    assert "drug_mah" not in body["relevant_facts"]
    assert "FIM-10.2" in body["out_of_scope"]


def test_when_every_relevant_question_is_answered_the_interview_is_done(api):
    facts = {**STANDARD_FACTS, "future_patent_applicant": False, "prior_support_same_item": "none"}

    body = post(api, {"as_of": "2026-06-01", "facts": facts, "topics": ["standards"],
                      "declined": ["national_standard_field"]}).json()

    assert body["done"] is True
    assert body["steps"] == []
    assert body["open_clauses"] == []


def test_a_clause_resting_on_a_not_sure_answer_is_reported_and_the_check_sends_it_to_review(api):
    facts = {k: v for k, v in STANDARD_FACTS.items() if k != "intl_standard_published_on"}

    relevant = post(api, {"as_of": "2026-06-01", "facts": facts, "unsure": ["intl_standard_published_on"]}).json()
    checked = post(api, {"as_of": "2026-06-01", "facts": facts, "unsure": ["intl_standard_published_on"]},
                   url="/api/v1/eligibility/check").json()

    assert "FIM-4.2" in relevant["unsure_clauses"]
    assert "FIM-4.2" in [item["code"] for item in checked["needs_review"]]
    assert "FIM-4.2" not in [item["code"] for item in checked["eligible"]]


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"facts": {}, "topics": ["no_such_topic"]}, "topics", "unknown_topic"),
    ({"facts": {}, "unsure": ["no_such_fact"]}, "unsure", "unknown_fact"),
    ({"facts": {}, "declined": "org_type"}, "declined", None),
    ({"facts": {"org_type": "spaceship"}}, "facts.org_type", None),
    ({"facts": {}, "surprise": 1}, "surprise", "unknown_field"),
])
def test_a_bad_input_is_refused_naming_the_field(api, body, field, code):
    response = post(api, body)

    assert response.status_code == 400
    assert response.json()["field"] == field
    if code:
        assert response.json()["code"] == code


def test_the_relevance_api_is_in_the_openapi_schema(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert "post" in schema["paths"]["/api/v1/eligibility/relevant-facts"]
    components = schema["components"]["schemas"]
    assert {"unsure", "declined", "topics"} <= set(components["RelevantFactsRequest"]["properties"])
    assert {"steps", "done", "relevant_facts", "unsure_clauses"} <= set(components["RelevantFactsResult"]["properties"])
