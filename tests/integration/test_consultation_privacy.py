"""Consultations between bureaus and the reasons officers give one another are for officers only: the applicant
sees what is addressed to it, and officers by their bureau, never their usernames (pages and API)."""
import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from subsidies.services import application_create, application_submit, application_transition
from subsidies.services.consultations import application_consult, consultation_answer
from tests.factories import STANDARD_FACTS, applicant, officer, standard_item

pytestmark = pytest.mark.django_db
QUESTION = "贵局是否已受理该标准的立项？"
ANSWER = "已于2026年3月立项，编号ISO-2026-17"
RETURNED = "请补充标准发布证明"


@pytest.fixture
def consulted(django_capture_on_commit_callbacks):
    owner, handler, consulted_officer = applicant(), officer("市经济信息委"), officer("市知识产权局")
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=100,
                             as_of=dt.date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
        consultation = application_consult(actor=handler, application_id=app.pk, bureau="市知识产权局", question=QUESTION)
        consultation_answer(actor=consulted_officer, application_id=app.pk, consultation_id=consultation.pk, answer=ANSWER)
        application_transition(actor=handler, application_id=app.pk, action="return", reason=RETURNED)
    return owner, handler, consulted_officer, app


def page_as(user):
    client = Client()
    client.force_login(user)
    return client


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_applicant_page_shows_what_is_addressed_to_it_and_nothing_between_bureaus(consulted):
    owner, handler, consulted_officer, app = consulted

    body = page_as(owner).get(f"/applications/{app.pk}/").content.decode()

    assert RETURNED in body  # addressed to the applicant
    assert QUESTION not in body and ANSWER not in body
    assert handler.username not in body and consulted_officer.username not in body
    assert 'data-action="consult"' not in body and 'data-action="answer"' not in body
    assert "市经济信息委" in body  # who returned it, by bureau


def test_the_officer_page_shows_the_consultation_the_answer_and_who_wrote_them(consulted):
    owner, handler, consulted_officer, app = consulted

    body = page_as(handler).get(f"/applications/{app.pk}/").content.decode()

    assert QUESTION in body and ANSWER in body and consulted_officer.username in body and handler.username in body
    assert 'data-action="consult"' in body


def test_the_applicant_api_has_no_consultation_no_internal_event_and_no_officer_username(consulted):
    owner, handler, consulted_officer, app = consulted

    data = api_as(owner).get(f"/api/v1/applications/{app.pk}/").json()

    text = str(data)
    assert data["consultations"] == []
    assert [e["action"] for e in data["events"] if e["action"] in ("consult", "answer")] == []
    assert QUESTION not in text and ANSWER not in text
    assert handler.username not in text and consulted_officer.username not in text
    assert next(e for e in data["events"] if e["action"] == "return")["reason"] == RETURNED


def test_the_officer_api_has_the_consultation_and_the_usernames(consulted):
    owner, handler, consulted_officer, app = consulted

    data = api_as(handler).get(f"/api/v1/applications/{app.pk}/").json()

    assert data["consultations"][0]["question"] == QUESTION and data["consultations"][0]["answer"] == ANSWER
    assert data["consultations"][0]["answered_by"] == consulted_officer.username
    assert {"consult", "answer"} <= {e["action"] for e in data["events"]}


def test_a_reassignment_reason_between_bureaus_is_not_shown_to_the_applicant(django_capture_on_commit_callbacks):
    owner, handler = applicant(), officer("市经济信息委")
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=100,
                             as_of=dt.date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
        application_transition(actor=handler, application_id=app.pk, action="reassign", reason="内部：该局更熟悉此类标准",
                               to_bureau="市知识产权局")

    data = api_as(owner).get(f"/api/v1/applications/{app.pk}/").json()
    body = page_as(owner).get(f"/applications/{app.pk}/").content.decode()

    assert "内部：该局更熟悉此类标准" not in str(data) and "内部：该局更熟悉此类标准" not in body
    assert "reassign" in [e["action"] for e in data["events"]]
