"""The applications API: the flow, the contract shapes, and a permission matrix of every role × endpoint."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, UserFactory, applicant, officer, standard_item

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_token_is_issued_for_a_username_and_password():
    user = applicant(username="tokenuser")

    response = APIClient().post("/api/v1/auth/token/", {"username": "tokenuser", "password": "pw-123456!"}, format="json")
    refused = APIClient().post("/api/v1/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json")

    assert response.status_code == 200
    assert APIClient(HTTP_AUTHORIZATION=f"Token {response.json()['token']}").get("/api/v1/me/").json()["role"] == "applicant"
    assert refused.status_code == 403
    assert refused.json()["field"] == "password"
    assert user.pk


def test_an_applicant_applies_submits_and_the_right_officer_approves(django_capture_on_commit_callbacks):
    owner = applicant()
    api = client_for(owner)

    created = api.post("/api/v1/applications/", {"clause": "FIM-4.2", "facts": STANDARD_FACTS, "achievement_key": "ISO 12345:2026", "as_of": "2026-06-01",
                                                  "amount_requested_yuan": 450000, "description": "ISO/IEC 标准"},
                       format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = api.post("/api/v1/applications/", {"clause": "FIM-4.2", "facts": STANDARD_FACTS, "achievement_key": "ISO 12345:2026", "as_of": "2026-06-01",
                                                "amount_requested_yuan": 450000}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    app_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(f"/api/v1/applications/{app_id}/submit/")
    jxw = client_for(officer("市经济信息委"))
    queue = jxw.get("/api/v1/applications/?status=submitted&clause=FIM-4.2").json()
    decided = jxw.post(f"/api/v1/applications/{app_id}/decide/",
                       {"decision": "approve", "amount_approved_yuan": 400000, "reason": "符合条件"}, format="json")
    seen = api.get(f"/api/v1/applications/{app_id}/").json()

    assert created.status_code == 201 and again.json()["id"] == app_id
    assert submitted.json()["status"] == "submitted" and submitted.json()["bureau"] == "市经济信息委"
    assert [a["id"] for a in queue["results"]] == [app_id]
    assert decided.status_code == 200
    assert seen["status"] == "approved" and seen["amount_approved_yuan"] == 400000
    assert seen["evaluation"]["outcome"] == "eligible" and seen["evaluation"]["rule_version"] >= 1
    assert [e["action"] for e in seen["events"]] == ["create", "submit", "approve"]
    assert seen["events"][-1]["reason"] == "符合条件"


def test_an_amount_above_the_cap_is_a_400_naming_the_field(django_capture_on_commit_callbacks):
    api = client_for(applicant())

    response = api.post("/api/v1/applications/", {"clause": "FIM-4.2", "facts": STANDARD_FACTS, "achievement_key": "ISO 12345:2026", "amount_requested_yuan": 900000},
                        format="json")

    assert response.status_code == 400
    assert response.json() == {"code": "amount_above_cap", "message": response.json()["message"], "field": "amount_requested_yuan"}


def test_an_officer_never_sees_another_bureaus_applications(django_capture_on_commit_callbacks):
    owner = applicant()
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
    other = client_for(officer("市科技局"))

    assert other.get("/api/v1/applications/").json()["count"] == 0
    assert other.get(f"/api/v1/applications/{app.pk}/").status_code == 404


def test_attachments_are_type_checked_and_served_only_to_those_allowed(django_capture_on_commit_callbacks):
    owner = applicant()
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1)
    api = client_for(owner)
    pdf = SimpleUploadedFile("标准文本.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00", content_type="application/pdf")

    ok = api.post(f"/api/v1/applications/{app.pk}/attachments/", {"file": pdf}, format="multipart")
    bad = api.post(f"/api/v1/applications/{app.pk}/attachments/", {"file": fake}, format="multipart")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
    url = f"/api/v1/applications/{app.pk}/attachments/{ok.json()['id']}/"

    assert ok.status_code == 201 and bad.status_code == 400 and bad.json()["code"] == "file_content_mismatch"
    assert b"".join(client_for(officer("市经济信息委")).get(url).streaming_content).startswith(b"%PDF-")
    assert client_for(officer("市科技局")).get(url).status_code == 404
    assert client_for(applicant()).get(url).status_code == 404


# ---------------------------------------------------------------- permission matrix

ROLES = ("anonymous", "owner", "other_applicant", "officer", "other_officer", "rule_admin", "admin")
# endpoint: (method, path suffix, body, expected status per role in ROLES order) — on a submitted FIM-4.2 application
MATRIX = {
    "list": ("get", "", None, (401, 200, 200, 200, 200, 403, 200)),
    "create": ("post", "CREATE", {"clause": "FIM-4.2", "facts": STANDARD_FACTS, "achievement_key": "ISO 12345:2026", "amount_requested_yuan": 1},
               (401, 201, 201, 403, 403, 403, 403)),
    "detail": ("get", "{id}/", None, (401, 200, 404, 200, 404, 403, 200)),
    "patch": ("patch", "{id}/", {"description": "x"}, (401, 409, 404, 403, 404, 403, 403)),
    "submit": ("post", "{id}/submit/", None, (401, 200, 404, 403, 403, 403, 403)),
    "decide": ("post", "{id}/decide/", {"decision": "approve"}, (401, 403, 403, 200, 404, 403, 403)),
    "withdraw": ("post", "{id}/withdraw/", {}, (401, 200, 404, 403, 404, 403, 403)),
    "resubmit": ("post", "{id}/resubmit/", {}, (401, 409, 404, 403, 404, 403, 403)),
    "start_review": ("post", "{id}/start-review/", {}, (401, 403, 404, 200, 404, 403, 403)),
    "recommend": ("post", "{id}/recommend/", {"reason": "r"}, (401, 403, 404, 409, 404, 403, 403)),
    "reassign": ("post", "{id}/reassign/", {"reason": "r", "to_bureau": "市知识产权局"}, (401, 403, 404, 200, 404, 403, 403)),
    "attach": ("post", "{id}/attachments/", "FILE", (401, 409, 404, 403, 403, 403, 403)),
    "download": ("get", "{id}/attachments/{attachment}/", None, (401, 200, 404, 200, 404, 403, 200)),
    "consult": ("post", "{id}/consult/", {"bureau": "市知识产权局", "question": "q"}, (401, 403, 403, 201, 404, 403, 403)),
    "answer": ("post", "{id}/consultations/{consultation}/answer/", {"answer": "a"}, (401, 403, 403, 403, 404, 403, 403)),
}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    owner = applicant()
    users = {
        "anonymous": None,
        "owner": owner,
        "other_applicant": applicant(),
        "officer": officer("市经济信息委"),
        "other_officer": officer("市科技局"),
        "rule_admin": UserFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    Profile.objects.create(user=users["rule_admin"], role=Role.RULE_ADMIN)
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=100,
                             as_of=dt.date(2026, 6, 1))
    from subsidies.services.attachments import attachment_add

    attachment = attachment_add(actor=owner, application_id=app.pk,
                                upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
    from subsidies.services.consultations import application_consult

    consultation = application_consult(actor=users["officer"], application_id=app.pk, bureau="市知识产权局", question="q")
    return users, app, attachment, consultation


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, endpoint):
    users, app, attachment, consultation = world
    method, suffix, body, expected = MATRIX[endpoint]
    path = "/api/v1/applications/" + (
        "" if suffix == "CREATE" else suffix.format(id=app.pk, attachment=attachment.pk, consultation=consultation.pk)
    )
    client = client_for(users[role])
    if body == "FILE":
        response = client.post(path, {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 y")}, format="multipart")
    else:
        response = getattr(client, method)(path, body, format="json") if body is not None else getattr(client, method)(path)

    assert response.status_code == expected[ROLES.index(role)], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "field"}


def test_the_consulted_bureau_answers_through_the_api(world):
    users, app, _, consultation = world
    ipo = client_for(officer("市知识产权局"))

    answered = ipo.post(f"/api/v1/applications/{app.pk}/consultations/{consultation.pk}/answer/", {"answer": "已发布"},
                        format="json")
    again = ipo.post(f"/api/v1/applications/{app.pk}/consultations/{consultation.pk}/answer/", {"answer": "x"},
                     format="json")
    seen = client_for(users["officer"]).get(f"/api/v1/applications/{app.pk}/").json()

    assert answered.status_code == 200 and answered.json()["answer"] == "已发布"
    assert again.status_code == 409
    assert seen["consultations"][0]["answer"] == "已发布"
    assert [e["action"] for e in seen["events"]][-2:] == ["consult", "answer"]
