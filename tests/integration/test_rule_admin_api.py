"""The rule administration API: the same draft → edit → review → publish flow, refusals as {code, message, field}."""
import io

import pytest
import yaml
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from rules.models import ClauseRule, GoldenCase, RuleVersion
from rules.selectors import current_version
from tests.factories import UserFactory, applicant, officer

pytestmark = pytest.mark.django_db
FIM42_CASE = "the lead drafter of an international standard published in 2026 gets up to 50万元"


def rule_admin():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.RULE_ADMIN)
    return user


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def new_draft(client) -> int:
    response = client.post("/api/v1/rules/versions/", {"note": "raise FIM-4.2"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["number"]


def fim42(client, number) -> dict:
    rules = client.get(f"/api/v1/rules/versions/{number}/").json()["clause_rules"]
    rule = next(r for r in rules if r["clause"] == "FIM-4.2")
    return {k: rule[k] for k in ("amount_yuan", "amount_kind", "effective_from", "effective_to", "bureaus", "conditions")}


def put_fim42(client, number, **changes):
    body = {**fim42(client, number), **changes}
    return client.put(f"/api/v1/rules/versions/{number}/clauses/FIM-4.2/", body, format="json")


def move_fim42_cases(client, amount):
    cases = client.get("/api/v1/rules/cases/", {"clause": "FIM-4.2"}).json()["results"]
    for case in cases:
        if case["amount_yuan"] == 500_000:
            assert client.patch(f"/api/v1/rules/cases/{case['id']}/", {"amount_yuan": amount}, format="json").status_code == 200


def test_a_raised_cap_goes_through_draft_review_and_publication(django_capture_on_commit_callbacks):
    author, reviewer = api(rule_admin()), api(rule_admin())
    number = new_draft(author)

    edited = put_fim42(author, number, amount_yuan=800_000)
    move_fim42_cases(author, 800_000)
    submitted = author.post(f"/api/v1/rules/versions/{number}/submit/", {"note": "please"}, format="json")
    refused = author.post(f"/api/v1/rules/versions/{number}/publish/", {}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        published = reviewer.post(f"/api/v1/rules/versions/{number}/publish/", {"note": "checked", "acknowledgements": {"FIM-4.2": "raised by the bureau"}}, format="json")
    detail = reviewer.get(f"/api/v1/rules/versions/{number}/").json()
    job = reviewer.get(f"/api/v1/rules/jobs/{detail['latest_job']['id']}/").json()
    listed = reviewer.get("/api/v1/rules/versions/").json()

    assert edited.status_code == 200 and edited.json()["amount_yuan"] == 800_000
    assert submitted.json()["status"] == "in_review"
    assert refused.status_code == 403 and refused.json()["code"] == "second_administrator_required"
    assert published.status_code == 200 and published.json()["status"] == "published" and published.json()["current"]
    assert [e["action"] for e in detail["events"]] == ["draft", "edit", "submit", "publish"]
    assert job["finished"] and job["percent"] == 100 and job["rule_version"] == number
    assert listed["results"][0]["number"] == number and listed["results"][0]["current"]
    assert current_version().number == number


@pytest.mark.parametrize(
    "condition, field, code",
    [
        ({"fact": "no_such_fact", "operator": "eq", "value": 1}, "conditions[6][0].fact", "unknown_fact"),
        ({"fact": "org_type", "operator": "gte", "value": "enterprise"}, "conditions[6][0].operator", "operator_mismatch"),
        ({"fact": "incubated_future_enterprises", "operator": "gte", "value": "many"}, "conditions[6][0].value", "invalid_type"),
    ],
)
def test_an_edit_that_does_not_fit_the_vocabulary_is_refused_naming_the_field(condition, field, code):
    client = api(rule_admin())
    number = new_draft(client)
    conditions = fim42(client, number)["conditions"] + [[{**condition, "message_zh": "x", "message_en": "x"}]]

    response = put_fim42(client, number, conditions=conditions, amount_yuan=800_000)

    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["code"] == code and response.json()["message"]
    assert ClauseRule.objects.get(version__number=number, clause__code="FIM-4.2").amount_yuan == 500_000


def test_an_edit_of_a_published_version_is_a_conflict():
    client = api(rule_admin())

    response = put_fim42(client, current_version().number, amount_yuan=1)

    assert response.status_code == 409 and response.json()["code"] == "not_a_draft"


def test_a_failing_golden_case_blocks_publishing_and_names_the_clause_and_outcome():
    author, reviewer = api(rule_admin()), api(rule_admin())
    number = new_draft(author)
    put_fim42(author, number, amount_yuan=800_000)
    author.post(f"/api/v1/rules/versions/{number}/submit/", {}, format="json")

    response = reviewer.post(f"/api/v1/rules/versions/{number}/publish/", {"acknowledgements": {"FIM-4.2": "raised"}},
                             format="json")

    assert response.status_code == 400 and response.json()["code"] == "golden_cases_failed"
    assert "FIM-4.2" in response.json()["message"] and "50 万元" in response.json()["message"]  # by clause and outcome
    assert RuleVersion.objects.get(number=number).status == RuleVersion.Status.IN_REVIEW


def test_the_impact_preview_lists_the_subjects_of_a_raised_cap():
    client = api(rule_admin())
    number = new_draft(client)
    put_fim42(client, number, amount_yuan=800_000)

    report = client.get(f"/api/v1/rules/versions/{number}/impact/").json()

    change = next(c for c in report["changes"] if c["subject"]["key"] == FIM42_CASE)
    assert change["subject"]["kind"] == "case"
    assert change["amount_changed"] == [{"code": "FIM-4.2", "before_yuan": 500_000, "before_kind": "cap",
                                         "after_yuan": 800_000, "after_kind": "cap"}]
    assert report["totals"]["amount_changes"] == len(report["changes"]) and report["draft_version"] == number


def test_static_checks_find_conditions_that_can_never_hold():
    client = api(rule_admin())
    number = new_draft(client)
    university = {"fact": "org_type", "operator": "eq", "value": "university", "message_zh": "高校", "message_en": "A university"}
    put_fim42(client, number, conditions=fim42(client, number)["conditions"] + [[university]])

    body = client.get(f"/api/v1/rules/versions/{number}/checks/").json()

    assert body["rule_version"] == number
    error = next(f for f in body["findings"] if f["severity"] == "error")
    assert (error["code"], error["clause"], error["fact"]) == ("contradictory_conditions", "FIM-4.2", "org_type")
    assert error["message_zh"] and error["message_en"]


def test_static_checks_name_a_condition_that_rests_on_no_words_of_the_text():
    client = api(rule_admin())
    number = new_draft(client)
    unsourced = {"fact": "org_type", "operator": "eq", "value": "enterprise", "message_zh": "企业", "message_en": "An enterprise",
                 "source_quote": "", "interpretation": ""}
    sourced = {**unsourced, "source_quote": "牵头制修订企业"}
    put_fim42(client, number, conditions=fim42(client, number)["conditions"] + [[unsourced]])
    flagged = client.get(f"/api/v1/rules/versions/{number}/checks/").json()["findings"]
    put_fim42(client, number, conditions=fim42(client, number)["conditions"][:-1] + [[sourced]])
    clean = client.get(f"/api/v1/rules/versions/{number}/checks/").json()["findings"]

    assert [(f["severity"], f["clause"]) for f in flagged if f["code"] == "condition_without_words"] == [("warning", "FIM-4.2")]
    assert [f for f in clean if f["code"] == "condition_without_words"] == []


def test_reject_needs_a_reason_and_rollback_is_a_draft_its_author_cannot_publish(django_capture_on_commit_callbacks):
    author, reviewer = api(rule_admin()), api(rule_admin())
    original = current_version().number
    number = new_draft(author)
    author.post(f"/api/v1/rules/versions/{number}/submit/", {}, format="json")

    no_reason = reviewer.post(f"/api/v1/rules/versions/{number}/reject/", {"note": " "}, format="json")
    rejected = reviewer.post(f"/api/v1/rules/versions/{number}/reject/", {"note": "say why"}, format="json")
    rolled = reviewer.post(f"/api/v1/rules/versions/{original}/rollback/", {"note": "as before"}, format="json")
    back = rolled.json()["number"]
    reviewer.post(f"/api/v1/rules/versions/{back}/submit/", {}, format="json")
    own = reviewer.post(f"/api/v1/rules/versions/{back}/publish/", {}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        published = author.post(f"/api/v1/rules/versions/{back}/publish/", {}, format="json")

    assert no_reason.status_code == 400 and no_reason.json()["field"] == "note"
    assert rejected.json()["status"] == "rejected"
    assert rolled.status_code == 201 and rolled.json()["source"] == "rollback"
    assert rolled.json()["status"] == "draft" and not rolled.json()["current"]
    assert own.status_code == 403 and own.json()["code"] == "second_administrator_required"
    assert published.status_code == 200 and published.json()["current"]


def test_export_and_import_round_trip_through_the_endpoints():
    client = api(rule_admin())
    number = new_draft(client)
    exported = client.get(f"/api/v1/rules/versions/{number}/export.yaml")
    document = yaml.safe_load(exported.content)
    next(c for c in document["clauses"] if c["code"] == "FIM-4.2")["amount_yuan"] = 800_000
    edited = yaml.safe_dump(document, allow_unicode=True).encode()
    workbook = client.get(f"/api/v1/rules/versions/{number}/export.xlsx")

    unchanged = client.post(f"/api/v1/rules/versions/{number}/import/", {"file": _file(workbook.content, "v.xlsx")},
                            format="multipart")
    changed = client.post(f"/api/v1/rules/versions/{number}/import/", {"file": _file(edited, "v.yaml")}, format="multipart")
    bad = client.post(f"/api/v1/rules/versions/{number}/import/",
                      {"file": _file(edited.replace(b"amount_yuan: 800000", b"amount_yuan: lots"), "v.yaml")},
                      format="multipart")
    not_a_file = client.post(f"/api/v1/rules/versions/{number}/import/", {"file": _file(b"x", "v.txt")}, format="multipart")

    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert unchanged.status_code == 200 and unchanged.json()["changed"] == 0 and unchanged.json()["format"] == "xlsx"
    assert changed.json()["changed_clauses"] == ["FIM-4.2"]
    assert bad.status_code == 400 and bad.json()["field"].endswith(".amount_yuan") and bad.json()["field"].startswith("clauses[")
    assert not_a_file.status_code == 400 and not_a_file.json()["field"] == "file"
    assert ClauseRule.objects.get(version__number=number, clause__code="FIM-4.2").amount_yuan == 800_000


def test_the_case_library_lists_adds_and_changes_cases():
    client = api(rule_admin())
    body = {"name": "a university is not the lead drafter FIM-4.2 pays", "clause": "FIM-4.2", "as_of": "2026-06-01",
            "facts": {"org_type": "university"}, "expected": "not_eligible"}

    listed = client.get("/api/v1/rules/cases/", {"clause": "FIM-4.2"}).json()
    library_size = GoldenCase.objects.filter(clause__code="FIM-4.2").count()
    refused = client.post("/api/v1/rules/cases/", {**body, "facts": {"org_type": "company"}}, format="json")
    created = client.post("/api/v1/rules/cases/", body, format="json")
    duplicate = client.post("/api/v1/rules/cases/", body, format="json")
    patched = client.patch(f"/api/v1/rules/cases/{created.json()['id']}/", {"expected": "eligible", "amount_yuan": 1},
                           format="json")

    assert listed["count"] == library_size > 0
    assert {c["clause"] for c in listed["results"]} == {"FIM-4.2"}
    assert refused.status_code == 400 and refused.json()["field"] == "facts.org_type"
    assert created.status_code == 201 and created.json()["source"] == ""
    assert duplicate.status_code == 400 and duplicate.json()["field"] == "name"
    assert (patched.json()["expected"], patched.json()["amount_yuan"]) == ("eligible", 1)


def _file(data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


ENDPOINTS = [
    ("get", "/api/v1/rules/versions/"), ("post", "/api/v1/rules/versions/"), ("get", "/api/v1/rules/versions/1/"),
    ("put", "/api/v1/rules/versions/1/clauses/FIM-4.2/"), ("post", "/api/v1/rules/versions/1/submit/"),
    ("post", "/api/v1/rules/versions/1/publish/"), ("post", "/api/v1/rules/versions/1/reject/"),
    ("post", "/api/v1/rules/versions/1/rollback/"), ("get", "/api/v1/rules/versions/1/impact/"),
    ("get", "/api/v1/rules/versions/1/checks/"), ("get", "/api/v1/rules/versions/1/export.xlsx"),
    ("get", "/api/v1/rules/versions/1/export.yaml"), ("post", "/api/v1/rules/versions/1/import/"),
    ("get", "/api/v1/rules/jobs/1/"), ("get", "/api/v1/rules/cases/"), ("post", "/api/v1/rules/cases/"),
    ("get", "/api/v1/rules/cases/1/"), ("patch", "/api/v1/rules/cases/1/"),
]


def test_applicants_and_officers_get_403_on_every_endpoint_and_strangers_401():
    versions_before = RuleVersion.objects.count()
    for user in (applicant(), officer("市经济信息委")):
        client = api(user)
        for method, url in ENDPOINTS:
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 403, (user, url, response.status_code)
    for method, url in ENDPOINTS:
        assert getattr(api(), method)(url, {}, format="json").status_code == 401, url
    assert RuleVersion.objects.count() == versions_before


def test_an_administrator_without_a_profile_may_administer_the_rules():
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert api(superuser).get("/api/v1/rules/versions/").status_code == 200
