"""The applicant's and the officer's pages, server-rendered (the browser test drives the same pages in Chromium)."""
import json

import pytest
from django.test import Client

from subsidies.models import Application
from tests.factories import STANDARD_FACTS, applicant, officer

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_applicant_applies_from_a_check_result_and_an_officer_approves_it(django_capture_on_commit_callbacks):
    owner = applicant()
    page = signed_in(owner)

    form = page.get("/applications/new/", {"clause": "FIM-4.2", "facts": json.dumps(STANDARD_FACTS), "as_of": "2026-06-01"})
    key = form.context["idempotency_key"]
    post = {"clause": "FIM-4.2", "facts": json.dumps(STANDARD_FACTS), "as_of": "2026-06-01", "idempotency_key": key,
            "amount_requested_yuan": "450000", "description": "牵头制定 ISO 标准", "achievement_key": "ISO 99999:2026"}
    created = page.post("/applications/new/", post)
    page.post("/applications/new/", post)  # a double click
    app = Application.objects.get(created_by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        page.post(f"/applications/{app.pk}/act/", {"action": "submit"})
    jxw = signed_in(officer("市经济信息委"))
    queue = jxw.get("/applications/", {"status": "submitted"})
    detail = jxw.get(f"/applications/{app.pk}/")
    jxw.post(f"/applications/{app.pk}/act/", {"action": "approve", "amount_approved_yuan": "400000",
                                              "lock_version": detail.context["app"].lock_version})
    seen = page.get(f"/applications/{app.pk}/")

    assert form.status_code == 200 and "对发布的未来产业领域国际标准" in form.content.decode()
    assert created.status_code == 302 and Application.objects.filter(created_by=owner).count() == 1
    assert Application.objects.get(pk=app.pk).reference in queue.content.decode()  # given at submission
    assert "approve" in detail.context["actions"]
    assert seen.context["app"].status == "approved"
    assert [e.action for e in seen.context["app"].events.all()] == ["create", "submit", "approve"]
    assert "400,000" in seen.content.decode() or "40 万元" in seen.content.decode()


def test_an_officer_of_another_bureau_gets_a_404_page(django_capture_on_commit_callbacks):
    owner = applicant()
    page = signed_in(owner)
    page.post("/applications/new/", {"clause": "FIM-4.2", "facts": json.dumps(STANDARD_FACTS), "amount_requested_yuan": "1",
                                     "achievement_key": "ISO 12345:2026",
                                     "idempotency_key": "k"})
    app = Application.objects.get(created_by=owner)

    assert signed_in(officer("市科技局")).get(f"/applications/{app.pk}/").status_code == 404
    assert Client().get(f"/applications/{app.pk}/").status_code == 302  # to the sign-in page


def test_a_refused_decision_is_explained_on_the_page(django_capture_on_commit_callbacks):
    owner = applicant()
    page = signed_in(owner)
    page.post("/applications/new/", {"clause": "FIM-4.2", "facts": json.dumps(STANDARD_FACTS), "amount_requested_yuan": "1",
                                     "achievement_key": "ISO 12345:2026",
                                     "idempotency_key": "k"})
    app = Application.objects.get(created_by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        page.post(f"/applications/{app.pk}/act/", {"action": "submit"})

    response = signed_in(officer("市经济信息委")).post(f"/applications/{app.pk}/act/",
                                                       {"action": "approve", "amount_approved_yuan": "999999"}, follow=True)

    assert "amount_approved_yuan" in response.content.decode()
    app.refresh_from_db()
    assert app.status == "submitted"


def test_a_draft_page_shows_before_any_bureau_is_assigned():
    owner = applicant()
    page = signed_in(owner)
    page.post("/applications/new/", {"clause": "FIM-4.2", "facts": json.dumps(STANDARD_FACTS), "amount_requested_yuan": "1",
                                     "achievement_key": "ISO 12345:2026",
                                     "idempotency_key": "k"})
    app = Application.objects.get(created_by=owner)

    response = page.get(f"/applications/{app.pk}/")
    listing = page.get("/applications/")

    assert response.status_code == 200 and listing.status_code == 200
    assert "submit" in response.context["actions"]


@pytest.mark.parametrize("role, landing", [("applicant", "/applications/"), ("officer", "/applications/"),
                                           ("rule_admin", "/rules/"), (None, "/")])
def test_signing_in_lands_on_each_roles_own_work(role, landing):
    from accounts.models import Profile
    from tests.factories import UserFactory

    user = {"applicant": applicant, "officer": lambda: officer("市科技局")}.get(role, UserFactory)()
    if role == "rule_admin":
        Profile.objects.create(user=user, role=role)
    client = Client()

    response = client.post("/login/", {"username": user.username, "password": "pw-123456!"}, follow=True)

    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


@pytest.mark.parametrize("facts, as_of, field", [
    (json.dumps({"org_type": {}}), "2026-06-01", "facts"),  # a value that is an object
    ("[" * 10_000 + "]" * 10_000, "2026-06-01", None),  # nested 10,000 deep
    (json.dumps(STANDARD_FACTS), "2026-13-45", "as_of"),  # not a day
])
@pytest.mark.parametrize("method", ["get", "post"])
def test_facts_or_a_day_edited_by_hand_answer_400_saying_what_is_wrong(method, facts, as_of, field):
    page = signed_in(applicant())

    answer = getattr(page, method)("/applications/new/", {"clause": "FIM-4.2", "facts": facts, "as_of": as_of,
                                                          "amount_requested_yuan": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert answer.status_code == 400
    text = answer.content.decode()
    assert "整数" not in text  # not the amount's message (what a bad day used to answer)
    if field:
        assert f"({field})" in text
    assert not Application.objects.exists()
