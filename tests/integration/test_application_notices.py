"""Notifications that reach people: receipt, request for changes, decision, appeal outcome, consultation, call
opening; each in the inbox and by email (per-kind preference), once per (recipient, event) even when retried."""
import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from catalogue.models import Clause
from notifications.models import Notification
from notifications.services import preference_set
from programmes.models import Call
from subsidies import notices
from subsidies.models import Application
from subsidies.services import application_create, application_submit, application_transition
from subsidies.services.appeals import application_appeal
from subsidies.services.consultations import application_consult
from subsidies.services.limits import open_calls_announce
from tests.factories import STANDARD_FACTS, UserFactory, applicant, officer, standard_item

pytestmark = pytest.mark.django_db


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def draft(owner):
    return application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                              as_of=dt.date(2026, 6, 1))


def test_the_applicant_and_the_bureau_hear_of_each_step_once(django_capture_on_commit_callbacks):
    owner = applicant()
    colleague = applicant(organisation=owner.profile.organisation)
    jxw, jxw2 = officer("市经济信息委"), officer("市经济信息委")
    app = draft(owner)

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
        application_transition(actor=jxw, application_id=app.pk, action="return", reason="补充标准文本")
        application_transition(actor=owner, application_id=app.pk, action="resubmit")
        application_transition(actor=jxw, application_id=app.pk, action="reject", reason="不符合")
        application_appeal(actor=owner, application_id=app.pk, reason="请复核")
        application_transition(actor=jxw2, application_id=app.pk, action="overturn", reason="符合")

    assert kinds_of(owner) == kinds_of(colleague) == [
        notices.RECEIVED, notices.RETURNED, notices.RECEIVED, notices.REJECTED, notices.APPEAL_OVERTURNED]
    assert kinds_of(jxw) == [notices.TO_REVIEW, notices.TO_REVIEW]  # not asked to review its own rejection
    assert kinds_of(jxw2) == [notices.TO_REVIEW, notices.TO_REVIEW, notices.APPEAL_TO_REVIEW]
    assert len(mail.outbox) == Notification.objects.count()
    returned = Notification.objects.get(recipient=owner, kind=notices.RETURNED)
    assert any(owner.email in m.to and "补充标准文本" in m.body for m in mail.outbox)
    assert returned.url == f"/applications/{app.pk}/"


def test_a_notice_retried_for_the_same_event_is_written_once(django_capture_on_commit_callbacks):
    owner = applicant()
    officer("市经济信息委")
    app = draft(owner)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
    app = Application.objects.select_related("clause", "organisation").get(pk=app.pk)
    event = app.events.get(action="submit")

    with django_capture_on_commit_callbacks(execute=True):
        notices.application_event_notice(app, event, "submit")  # the effect run again

    assert Notification.objects.filter(recipient=owner).count() == 1
    assert len(mail.outbox) == Notification.objects.count() == 2


def test_an_applicant_who_turned_email_off_for_decisions_finds_them_in_the_inbox_only(django_capture_on_commit_callbacks):
    owner, jxw = applicant(), officer("市经济信息委")
    preference_set(actor=owner, kind=notices.REJECTED, email=False)
    app = draft(owner)
    application_submit(actor=owner, application_id=app.pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(actor=jxw, application_id=app.pk, action="reject", reason="不符合")

    rejected = Notification.objects.get(recipient=owner, kind=notices.REJECTED)
    assert rejected.email == Notification.Email.NONE and mail.outbox == []
    assert rejected.params["appeal_until"]  # the notice says until when it can be appealed


def test_the_consulted_bureaus_officers_are_told(django_capture_on_commit_callbacks):
    owner, jxw, ip = applicant(), officer("市经济信息委"), officer("市知识产权局")
    app = draft(owner)
    application_submit(actor=owner, application_id=app.pk)

    with django_capture_on_commit_callbacks(execute=True):
        application_consult(actor=jxw, application_id=app.pk, bureau="市知识产权局", question="该标准是否已发布？")

    consulted = Notification.objects.get(recipient=ip)
    assert consulted.kind == notices.CONSULTED and consulted.params["question"] == "该标准是否已发布？"
    assert any(ip.email in m.to for m in mail.outbox)


def test_a_call_opening_reaches_the_organisations_that_applied_under_its_clause_once():
    interested, stranger = applicant(), applicant()
    draft(interested)
    call = Call.objects.create(title_zh="2026年未来产业标准项目申报", opens_at=timezone.now() - dt.timedelta(hours=1),
                               closes_at=timezone.now() + dt.timedelta(days=30), created_by=UserFactory())
    call.clauses.add(Clause.objects.get(code="FIM-4.2"))

    first, again = open_calls_announce(), open_calls_announce()

    assert (first, again) == (1, 0)
    told = Notification.objects.get(kind=notices.CALL_OPENED)
    assert told.recipient == interested and told.params["clauses"] == ["FIM-4.2"]
    assert not Notification.objects.filter(recipient=stranger).exists()
