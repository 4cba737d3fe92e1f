"""复核: after a rejection the applicant appeals within the limit, with reasons and files; another officer of the
same bureau (never the one who decided) upholds or overturns; each step is an event."""
import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from policy_portal.exceptions import DomainError
from subsidies.models import Appeal, Application
from subsidies.models.applications import Status
from subsidies.services import application_create, application_submit, application_transition
from subsidies.services.appeals import application_appeal
from tests.factories import STANDARD_FACTS, applicant, officer, standard_item

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    owner = applicant()
    decider, reviewer = officer("市经济信息委", username="decider"), officer("市经济信息委", username="reviewer")
    with time_machine.travel(MONDAY, tick=False):
        app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(),
                                 amount_requested_yuan=400_000, as_of=dt.date(2026, 6, 1))
        application_submit(actor=owner, application_id=app.pk)
        application_transition(actor=decider, application_id=app.pk, action="reject", reason="材料不足")
    return owner, decider, reviewer, app


def test_an_appeal_goes_to_another_officer_who_overturns_it_back_to_review(world):
    owner, decider, reviewer, app = world

    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        application_appeal(actor=owner, application_id=app.pk, reason="标准已发布，附公告",
                           files=[SimpleUploadedFile("公告.pdf", PDF, "application/pdf")])
        with pytest.raises(DomainError) as refused:
            application_transition(actor=decider, application_id=app.pk, action="overturn", reason="我撤销")
        application_transition(actor=reviewer, application_id=app.pk, action="overturn", reason="材料齐全")

    app.refresh_from_db()
    appeal = Appeal.objects.get(application=app)
    assert refused.value.code == "own_decision"
    assert appeal.assigned_to == reviewer and appeal.rejected_by == decider
    assert appeal.outcome == Appeal.Outcome.OVERTURNED and appeal.decided_by == reviewer
    assert [f.original_name for f in appeal.files.all()] == ["公告.pdf"]
    assert app.status == Status.UNDER_REVIEW and app.decided_at is None
    assert app.due_on == dt.date(2026, 7, 3)  # the review starts again: 20 working days from 4 June
    assert [e.action for e in app.events.order_by("pk")][-3:] == ["appeal", "attach", "overturn"]


def test_an_upheld_rejection_cannot_be_appealed_again(world):
    owner, _decider, reviewer, app = world
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        application_appeal(actor=owner, application_id=app.pk, reason="请复核")
        application_transition(actor=reviewer, application_id=app.pk, action="uphold", reason="维持")

        with pytest.raises(DomainError) as refused:
            application_appeal(actor=owner, application_id=app.pk, reason="再次复核")

    assert refused.value.code == "already_appealed"
    assert Application.objects.get(pk=app.pk).status == Status.REJECTED


def test_an_appeal_after_its_limit_is_refused_in_chinese_naming_the_limit(world):
    owner, _decider, _reviewer, app = world
    client = APIClient()
    client.force_authenticate(owner)

    with time_machine.travel(dt.datetime(2026, 6, 23, 9, 0, tzinfo=SHANGHAI), tick=False):  # the 15th working day
        assert client.get(f"/api/v1/applications/{app.pk}/").json()["appeal_until"] == "2026-06-23"
    with time_machine.travel(dt.datetime(2026, 6, 24, 9, 0, tzinfo=SHANGHAI), tick=False):
        response = client.post(f"/api/v1/applications/{app.pk}/appeal/", {"reason": "请复核"}, format="json",
                               HTTP_ACCEPT_LANGUAGE="zh-hans")

    body = response.json()
    assert response.status_code == 409 and body["code"] == "appeal_too_late" and body["field"] == "reason"
    assert "15个工作日" in body["message"] and "2026-06-23" in body["message"]
    assert not Appeal.objects.exists() and Application.objects.get(pk=app.pk).status == Status.REJECTED


def test_a_file_that_is_not_what_it_claims_refuses_the_whole_appeal(world):
    owner, _decider, _reviewer, app = world
    client = APIClient()
    client.force_authenticate(owner)

    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        response = client.post(f"/api/v1/applications/{app.pk}/appeal/",
                               {"reason": "请复核", "files": [SimpleUploadedFile("a.pdf", b"MZ not a pdf")]},
                               format="multipart")

    assert response.status_code == 400 and response.json()["field"] == "files"
    assert not Appeal.objects.exists() and Application.objects.get(pk=app.pk).status == Status.REJECTED


def test_the_pages_offer_the_appeal_to_the_applicant_and_the_review_to_the_other_officer_only(world):
    owner, decider, reviewer, app = world
    pages = {}
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False), translation.override("zh-hans"):
        for name, user in (("owner", owner), ("decider", decider), ("reviewer", reviewer)):
            client = Client()
            client.force_login(user)
            pages[name] = client
        before = pages["owner"].get(f"/applications/{app.pk}/").content.decode()
        pages["owner"].post(f"/applications/{app.pk}/act/", {"action": "appeal", "reason": "请复核"})
        decider_page = pages["decider"].get(f"/applications/{app.pk}/").content.decode()
        reviewer_page = pages["reviewer"].get(f"/applications/{app.pk}/").content.decode()

    assert 'value="appeal"' in before and 'id="appeal-until">2026-06-23<' in before
    assert 'value="overturn"' not in decider_page and 'value="uphold"' not in decider_page
    assert 'value="overturn"' in reviewer_page and 'value="uphold"' in reviewer_page
    assert "复核中" in reviewer_page
