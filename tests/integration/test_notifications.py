"""The message centre: one notification per (recipient, event), emailed at most once, read in the inbox and the API."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.test import APIClient

from notifications.kinds import KINDS, Kind, register_kind
from notifications.models import Notification
from notifications.services import notification_email_send, notifications_sweep, notify, preference_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kind():
    register_kind(Kind("test.decided", _("Decision"), _("Your application %(reference)s was decided"),
                       _("Under %(clause)s: %(amount_yuan)s.")))
    yield KINDS["test.decided"]
    KINDS.pop("test.decided", None)


def decided(user, key="application:1:event:9"):
    return notify(recipients=[user], kind="test.decided", key=key,
                  params={"reference": "FIM-4.2-2026-000001", "clause": "FIM-4.2", "amount_yuan": 500_000},
                  url="/applications/1/")


def test_an_event_reported_twice_is_one_notification_and_one_email(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = decided(user)
    with django_capture_on_commit_callbacks(execute=True):
        again = decided(user)

    assert len(first) == 1 and again == []
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1
    assert "FIM-4.2-2026-000001" in mail.outbox[0].subject
    assert "50 万元" in mail.outbox[0].body and "/applications/1/" in mail.outbox[0].body


def test_an_email_is_never_sent_twice_even_when_its_task_runs_twice():
    user = UserFactory()
    notification = decided(user)[0]

    results = [notification_email_send(notification_id=notification.pk) for _ in range(3)]

    assert results == ["sent", "skipped", "skipped"] and len(mail.outbox) == 1


def test_a_user_who_turned_email_off_gets_the_inbox_message_only(django_capture_on_commit_callbacks):
    user = UserFactory()
    preference_set(actor=user, kind="test.decided", email=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = decided(user)[0]

    assert notification.email == Notification.Email.NONE and mail.outbox == []


def test_the_sweeper_sends_what_a_lost_message_left_pending():
    user = UserFactory()
    notification = decided(user)[0]  # outside a commit: the task was never queued
    Notification.objects.filter(pk=notification.pk).update(email_queued_at=timezone.now() - dt.timedelta(hours=1))

    swept = notifications_sweep()

    notification.refresh_from_db()
    assert swept == 1 and notification.email == Notification.Email.SENT and len(mail.outbox) == 1
    assert notifications_sweep() == 0


def test_the_inbox_api_lists_marks_read_and_counts_unread():
    user, other = UserFactory(), UserFactory()
    decided(user, "a")
    decided(user, "b")
    decided(other, "a")
    api = APIClient()
    api.force_authenticate(user)

    listing = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    marked = api.post("/api/v1/notifications/read/", {"ids": [listing.json()["results"][0]["id"]]}, format="json")
    unread = api.get("/api/v1/notifications/?unread=true")

    assert listing.json()["count"] == 2 and listing["X-Unread-Count"] == "2"
    assert marked.json() == {"marked": 1, "unread": 1}
    assert unread.json()["count"] == 1
    assert APIClient().get("/api/v1/notifications/").status_code == 401


def test_the_message_centre_page_shows_unread_and_opens_where_it_points(client):
    user = UserFactory()
    notification = decided(user)[0]
    client.force_login(user)

    page = client.get("/inbox/")
    opened = client.post(f"/inbox/{notification.pk}/open/")
    other = UserFactory()
    client.force_login(other)
    foreign = client.post(f"/inbox/{notification.pk}/open/")

    assert "FIM-4.2-2026-000001" in page.content.decode() and 'class="nav-count"' in page.content.decode()
    assert opened.status_code == 302 and opened["Location"] == "/applications/1/"
    assert foreign.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is not None
