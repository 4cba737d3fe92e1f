"""The bureau heads' overdue digest, sent by a real Celery beat and a real worker through Redis: beat fires it
every second here (PORTAL_OVERDUE_DIGEST_SECONDS), yet each head gets exactly one digest for the day."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Profile
from catalogue.loading import policies_load
from catalogue.models import Bureau, Clause
from notifications.models import Notification
from subsidies.models import Application
from subsidies.models.applications import Status
from subsidies.notices import OVERDUE_DIGEST
from tests.factories import STANDARD_FACTS, applicant, officer
from tests.reliability.stack import Stack, wait_until


@pytest.fixture
def stack(transactional_db, tmp_path):
    policies_load()
    stack = Stack(tmp_path, PORTAL_OVERDUE_DIGEST_SECONDS=1, DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    try:
        yield stack
    finally:
        stack.stop()


def head(bureau: str):
    user = officer(bureau)
    Profile.objects.filter(user=user).update(is_bureau_head=True)
    return user


@pytest.mark.integration
def test_beat_and_a_worker_send_each_head_one_overdue_digest_a_day(stack):
    owner = applicant()
    heads = [head("市经济信息委"), head("市经济信息委"), head("市知识产权局")]
    quiet_head = head("市科技局")  # nothing overdue at this bureau
    today = timezone.localdate()
    clause = Clause.objects.get(code="FIM-4.2")
    for i, (bureau, due) in enumerate([("市经济信息委", today - dt.timedelta(days=9)),
                                       ("市知识产权局", today - dt.timedelta(days=2)),
                                       ("市科技局", today + dt.timedelta(days=30))]):
        Application.objects.create(reference=f"BEAT{i:04d}", organisation=owner.profile.organisation, created_by=owner,
                                   clause=clause, facts=STANDARD_FACTS, as_of=dt.date(2026, 6, 1), status=Status.SUBMITTED,
                                   bureau=Bureau.objects.get(short_name_zh=bureau), submitted_at=timezone.now(),
                                   due_on=due)

    stack.worker(concurrency=1)
    stack.beat()
    wait_until(lambda: Notification.objects.filter(kind=OVERDUE_DIGEST).count() >= len(heads), 90,
               what="the first digests")
    wait_until(lambda: stack.log("worker").count("send_overdue_digests") >= 8, 60,
               what="beat to fire the digest several more times")  # received + succeeded lines, 4 runs or more
    wait_until(lambda: not Notification.objects.filter(kind=OVERDUE_DIGEST).exclude(
        email=Notification.Email.SENT).exists(), 30, what="the digests' emails")

    digests = Notification.objects.filter(kind=OVERDUE_DIGEST)
    assert sorted(d.recipient_id for d in digests) == sorted(h.pk for h in heads)  # exactly one each
    assert not digests.filter(recipient=quiet_head).exists()
    by_head = {d.recipient_id: d.params["references"] for d in digests}
    assert by_head[heads[0].pk] == by_head[heads[1].pk] == ["BEAT0000"] and by_head[heads[2].pk] == ["BEAT0001"]
