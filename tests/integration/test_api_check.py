"""POST /api/v1/eligibility/check: answers, versions, throttling, and every bad input answered 4xx {code, message, field}."""
import datetime as dt
import json
import logging

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from rest_framework.test import APIClient

from eligibility.apis import AnonymousCheckThrottle
from eligibility.services import eligibility_check
from policy_portal.errors import api_exception_handler
from rules import check as checking
from rules.engine import EngineError, EngineLimitError
from rules.models import Fact
from rules.operators import FactError, FactSpec, FactType
from rules.selectors import current_version
from tests.integration.rule_versions import copy_current_version

pytestmark = pytest.mark.django_db

URL = "/api/v1/eligibility/check"
ERROR_FIELDS = {"code", "message", "field"}
STANDARDS_AND_CHAMPION = {
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


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The throttle counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def post(api, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return api.post(URL, data=data, content_type=extra.pop("content_type", "application/json"), **extra)


def codes(items):
    return [item["code"] for item in items]


# ---------------------------------------------------------------- answers


def test_an_applicant_qualifying_for_several_clauses_gets_all_of_them_with_their_amounts(api):
    body = {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION}

    response = post(api, body)

    result = response.json()
    eligible = {item["code"]: item for item in result["eligible"]}
    assert response.status_code == 200
    assert set(eligible) == {"FIM-4.2", "FIM-4.3", "FIM-6.1"}
    assert eligible["FIM-4.2"]["amount_yuan"] == 500_000
    assert eligible["FIM-4.3"]["amount_yuan"] == 300_000
    assert eligible["FIM-6.1"]["amount_yuan"] == 500_000
    assert eligible["FIM-6.1"]["amount_kind"] == "fixed"
    assert result["as_of"] == "2026-06-01"
    assert result["superseded"] == []


def test_an_eligible_clause_names_its_bureaus_citation_and_reasons(api):
    body = {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION}

    result = post(api, body).json()

    item = next(i for i in result["eligible"] if i["code"] == "FIM-4.2")
    assert item["lead_bureau"] == "市经济信息委"
    assert item["bureaus"] == ["市经济信息委", "市知识产权局"]
    assert item["citation"] == {
        "document": "FIM",
        "article": "4.促进知识产权运营转化",
        "article_key": "4",
        "text": "对发布的未来产业领域国际标准、国家标准的牵头制修订企业，分别给予最高50万元、30万元支持",
    }
    assert [reason["fact"] for reason in item["because"]][:2] == ["as_of", "registered_in_chongqing"]
    assert "intl_standard_published_on" in [reason["fact"] for reason in item["because"]]


def test_the_answer_is_exactly_the_services_answer(api):
    body = {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION}

    response = post(api, body)

    assert response.json() == eligibility_check(facts=STANDARDS_AND_CHAMPION, as_of=dt.date(2026, 6, 1))
    assert set(response.json()) == {
        "as_of",
        "ruleset_version",
        "eligible",
        "needs_review",
        "near_misses",
        "superseded",
        "relevant_facts",
    }


def test_after_the_fim_window_closes_the_same_applicant_only_misses_the_validity_condition(api):
    body = {"as_of": "2028-01-01", "facts": STANDARDS_AND_CHAMPION}

    result = post(api, body).json()

    assert not [code for code in codes(result["eligible"]) if code.startswith("FIM-")]
    near = {item["code"]: item for item in result["near_misses"]}
    for code in ("FIM-4.2", "FIM-4.3", "FIM-6.1"):
        assert [unmet["fact"] for unmet in near[code]["unmet"]] == ["as_of"]
        assert near[code]["met"] == near[code]["total"] - 1
    assert "2027-12-31" in near["FIM-4.2"]["unmet"][0]["message_zh"]


def test_a_lead_unit_for_an_innovation_centre_needs_an_officers_review_for_iic_10(api):
    body = {"as_of": "2026-06-01", "facts": {"registered_in_chongqing": True, "iic_lead_unit": True}}

    result = post(api, body).json()

    review = {item["code"]: item for item in result["needs_review"]}
    assert "IIC-10" in review
    assert "IIC-10" not in codes(result["eligible"])
    assert review["IIC-10"]["lead_bureau"] == "市发展改革委"
    assert len(review["IIC-10"]["awaiting"]) == 2


def test_no_facts_stated_means_nothing_is_eligible(api):
    result = post(api, {"as_of": "2026-06-01", "facts": {}}).json()

    assert result["eligible"] == []
    assert result["needs_review"] == []


def test_without_as_of_the_check_uses_todays_date_in_shanghai(api):
    # 17:30 UTC on 31 May is already 1 June in Asia/Shanghai.
    with time_machine.travel(dt.datetime(2026, 5, 31, 17, 30, tzinfo=dt.timezone.utc), tick=False):
        response = post(api, {"facts": STANDARDS_AND_CHAMPION})

    assert response.status_code == 200
    assert response.json()["as_of"] == "2026-06-01"
    assert "FIM-4.2" in codes(response.json()["eligible"])


def test_an_older_published_version_can_be_asked_for_by_number(api):
    older = current_version().number
    newest = copy_current_version(amounts={"FIM-4.2": 600_000})
    body = {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION}

    current = post(api, body).json()
    pinned = post(api, {**body, "ruleset_version": older}).json()

    assert current["ruleset_version"] == newest.number
    assert next(i for i in current["eligible"] if i["code"] == "FIM-4.2")["amount_yuan"] == 600_000
    assert pinned["ruleset_version"] == older
    assert next(i for i in pinned["eligible"] if i["code"] == "FIM-4.2")["amount_yuan"] == 500_000


def test_a_draft_version_cannot_be_asked_for(api):
    draft = copy_current_version(status="draft")

    response = post(api, {"facts": {}, "ruleset_version": draft.number})

    assert response.status_code == 400
    assert response.json()["field"] == "ruleset_version"
    assert response.json()["code"] == "unknown_version"


def test_anonymous_callers_need_no_csrf_token():
    api = APIClient(enforce_csrf_checks=True)

    response = post(api, {"as_of": "2026-06-01", "facts": {}})

    assert response.status_code == 200


def test_a_check_takes_a_bounded_number_of_queries(api, django_assert_max_num_queries):
    body = {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION}

    with django_assert_max_num_queries(6):  # the version, plus building its RuleBook once per process
        first = post(api, body)
    with django_assert_max_num_queries(1):  # the version; the RuleBook is cached
        second = post(api, body)

    assert first.json() == second.json()


# ---------------------------------------------------------------- throttling


def test_anonymous_callers_are_throttled_under_the_eligibility_scope(api, monkeypatch):
    monkeypatch.setattr(AnonymousCheckThrottle, "THROTTLE_RATES", {"eligibility": "2/min"})
    body = {"as_of": "2026-06-01", "facts": {}}

    allowed = [post(api, body).status_code for _ in range(2)]
    refused = post(api, body)

    assert allowed == [200, 200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert set(refused.json()) == ERROR_FIELDS
    assert "Retry-After" in refused.headers


def test_signed_in_users_are_not_throttled(api, monkeypatch):
    monkeypatch.setattr(AnonymousCheckThrottle, "THROTTLE_RATES", {"eligibility": "1/min"})
    api.force_authenticate(get_user_model().objects.create_user("checker", password="x" * 12))

    statuses = {post(api, {"as_of": "2026-06-01", "facts": {}}).status_code for _ in range(3)}

    assert statuses == {200}


def test_the_configured_rate_is_the_eligibility_scope():
    assert "eligibility" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]


# ---------------------------------------------------------------- bad input


NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "body, code, field",
    [
        ('{"facts": {', "parse_error", None),
        ("{'facts': {}}", "parse_error", None),
        (NESTED, "parse_error", None),
        ('{"facts": {"org_type": ' + "[" * 40 + "]" * 40 + "}}", "parse_error", None),
        ('{"facts": {"incubated_future_enterprises": NaN}}', "parse_error", None),
        ('{"facts": {"incubated_future_enterprises": ' + "9" * 5000 + "}}", "parse_error", None),
        (b'{"facts": {"iic_proposed_name": "\xff\xfe"}}', "parse_error", None),
        ("[]", "invalid_type", None),
        ('"facts"', "invalid_type", None),
        ("{}", "required", "facts"),
        ('{"facts": []}', "not_a_dict", "facts"),
        ('{"facts": "org_type=enterprise"}', "not_a_dict", "facts"),
        ('{"facts": null}', "null", "facts"),
        ('{"facts": {}, "asof": "2026-06-01"}', "unknown_field", "asof"),
        ('{"facts": {"turnover": 5}}', "unknown_fact", "facts.turnover"),
        ('{"facts": {"registered_in_chongqing": "yes"}}', "invalid_type", "facts.registered_in_chongqing"),
        ('{"facts": {"registered_in_chongqing": null}}', "null", "facts.registered_in_chongqing"),
        ('{"facts": {"org_type": "company"}}', "invalid_choice", "facts.org_type"),
        ('{"facts": {"incubated_future_enterprises": 1.5}}', "invalid_type", "facts.incubated_future_enterprises"),
        ('{"facts": {"incubated_future_enterprises": -1}}', "out_of_range", "facts.incubated_future_enterprises"),
        ('{"facts": {"conversion_rate": 12.345}}', "invalid_precision", "facts.conversion_rate"),
        ('{"facts": {"conversion_rate": 1e30}}', "out_of_range", "facts.conversion_rate"),
        ('{"facts": {"org_type": "enterprise", "survival_rate": "1E+40"}}', "out_of_range", "facts.survival_rate"),
        ('{"facts": {"intl_standard_published_on": "2026-02-30"}}', "invalid_date", "facts.intl_standard_published_on"),
        ('{"facts": {}, "as_of": "2026-02-30"}', "invalid_date", "as_of"),
        ('{"facts": {}, "as_of": "2026-6-1"}', "invalid_date", "as_of"),
        ('{"facts": {}, "as_of": 20260601}', "invalid_date", "as_of"),
        ('{"facts": {}, "as_of": "0001-01-01"}', "invalid_date", "as_of"),
        ('{"facts": {}, "as_of": null}', "null", "as_of"),
        ('{"facts": {}, "ruleset_version": "latest"}', "invalid", "ruleset_version"),
        ('{"facts": {}, "ruleset_version": 0}', "min_value", "ruleset_version"),
        ('{"facts": {}, "ruleset_version": 99999999999}', "max_value", "ruleset_version"),
        ('{"facts": {}, "ruleset_version": 999}', "unknown_version", "ruleset_version"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, body, code, field):
    response = post(api, body)

    assert response.status_code == 400, response.content
    assert set(response.json()) == ERROR_FIELDS
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert response.json()["message"]


def test_an_int_fact_without_a_minimum_refuses_values_the_engine_cannot_take(book, monkeypatch):
    # No int fact of today's vocabulary lacks min_value; a future one must still be refused by field.
    unbounded = FactSpec("headcount_change", FactType.INT)
    monkeypatch.setitem(book.vocabulary, "headcount_change", unbounded)

    with pytest.raises(FactError) as refused:
        eligibility_check(facts={"headcount_change": -(2**60)}, as_of=dt.date(2026, 6, 1))

    assert (refused.value.field, refused.value.code) == ("facts.headcount_change", "out_of_range")


def test_more_facts_than_the_vocabulary_holds_are_refused(api):
    facts = {f"fact_{i}": True for i in range(Fact.objects.count() + 1)}  # one more than the vocabulary holds

    response = post(api, {"facts": facts})

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("too_many_facts", "facts")


def test_a_body_over_the_upload_limit_is_a_413(api):
    padding = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"facts": {"iic_proposed_name": padding}})

    response = post(api, body, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "message": f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
        "field": None,
    }


def test_a_body_just_under_the_upload_limit_is_read(api):
    body = json.dumps({"facts": {"iic_proposed_name": "名"}})
    body = body + " " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - len(body.encode()))

    response = post(api, body)

    assert response.status_code == 200


def test_request_data_too_big_raised_anywhere_in_a_view_is_a_413():
    response = api_exception_handler(RequestDataTooBig("Request body exceeded the limit."), {})

    assert response.status_code == 413
    assert response.data["code"] == "too_large"


def test_a_body_that_is_not_json_is_a_415(api):
    response = post(api, "facts=1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_get_is_not_allowed(api):
    response = api.get(URL)

    assert response.status_code == 405
    assert set(response.json()) == ERROR_FIELDS


# ---------------------------------------------------------------- engine failures


def test_an_engine_limit_is_the_callers_400(api, monkeypatch):
    def over_the_limit(*args, **kwargs):
        raise EngineLimitError(260, 250)

    monkeypatch.setattr(checking.engine, "evaluate", over_the_limit)

    response = post(api, {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION})

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("engine_limit", "facts")


def test_an_engine_failure_is_a_logged_503(api, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise EngineError("durable-rules failed while firing rules")

    monkeypatch.setattr(checking.engine, "evaluate", broken)

    with caplog.at_level(logging.ERROR, logger="policy_portal.errors"):
        response = post(api, {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response.json() == {
        "code": "engine_unavailable",
        "message": "The rule engine could not answer; please try again later.",
        "field": None,
    }
    assert "durable-rules failed" in caplog.text


def test_engines_that_disagree_are_a_logged_503_not_an_answer(api, monkeypatch, caplog):
    monkeypatch.setattr(checking.engine, "evaluate", lambda *args, **kwargs: {"FIM-1.1"})

    with caplog.at_level(logging.ERROR, logger="policy_portal.errors"):
        response = post(api, {"as_of": "2026-06-01", "facts": STANDARDS_AND_CHAMPION})

    assert response.status_code == 503
    assert response.json()["code"] == "engine_unavailable"
    assert "EngineDisagreement" in caplog.text
