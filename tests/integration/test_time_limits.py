"""办理时限: a due date in working days when an application enters a stage, days left in the officers' queue,
overdue marked and filtered, the applicant's expected decision date, and the bureau heads' daily digest."""
import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Profile
from catalogue.models import Clause
from notifications.models import Notification
from programmes.models import Call
from subsidies.models import Application, RoutingRule
from subsidies.models.applications import Status
from subsidies.notices import OVERDUE_DIGEST
from subsidies.services import application_create, application_submit, application_transition
from subsidies.services.limits import overdue_digests_send
from tests.factories import STANDARD_FACTS, UserFactory, applicant, officer, standard_item

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)


def submitted(user=None, **kwargs):
    user = user or applicant()
    app = application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                             as_of=dt.date(2026, 6, 1), **kwargs)
    return application_submit(actor=user, application_id=app.pk)


def head(bureau="市经济信息委"):
    user = officer(bureau)
    Profile.objects.filter(user=user).update(is_bureau_head=True)
    return user


@time_machine.travel(MONDAY, tick=False)
def test_a_submission_is_due_twenty_working_days_later_skipping_the_dragon_boat_holiday():
    app = submitted()

    app.refresh_from_db()
    assert app.due_on == dt.date(2026, 6, 30)  # 端午节 (19 June) is not a working day
    assert not app.due_provisional
    assert app.events.get(action="submit").data["due_on"] == "2026-06-30"


@time_machine.travel(MONDAY, tick=False)
def test_the_calls_limit_comes_before_the_clauses_and_the_clauses_before_the_default():
    RoutingRule.objects.update_or_create(clause=Clause.objects.get(code="FIM-4.2"),
                                         defaults={"bureau_id": officer("市经济信息委").profile.bureau_id,
                                                   "review_days": {"single": 15}})
    by_clause = submitted()
    # rolling (no closing time): PostgreSQL judges the window by its own clock at commit, which time_machine
    # does not move (subsidies migration 0010)
    call = Call.objects.create(title_zh="2026年第一批", opens_at=MONDAY - dt.timedelta(days=1),
                               closes_at=None, review_days={"single": 5}, created_by=UserFactory())
    call.clauses.add(Clause.objects.get(code="FIM-4.2"))
    by_call = submitted()

    assert Application.objects.get(pk=by_clause.pk).due_on == dt.date(2026, 6, 23)
    assert Application.objects.get(pk=by_call.pk).due_on == dt.date(2026, 6, 8)


def test_returning_stops_the_clock_and_resubmitting_starts_it_again():
    owner, jxw = applicant(), officer("市经济信息委")
    with time_machine.travel(MONDAY, tick=False):
        app = submitted(owner)
        application_transition(actor=jxw, application_id=app.pk, action="return", reason="补充材料")
        assert Application.objects.get(pk=app.pk).due_on is None
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        application_transition(actor=owner, application_id=app.pk, action="resubmit")

    assert Application.objects.get(pk=app.pk).due_on == dt.date(2026, 7, 7)


def test_the_queue_shows_days_left_sorts_by_them_and_filters_the_overdue():
    owner, jxw = applicant(), officer("市经济信息委")
    with time_machine.travel(MONDAY, tick=False):
        late = submitted(owner)
    with time_machine.travel(MONDAY + dt.timedelta(days=14), tick=False):
        fresh = submitted(owner)
    client = Client()
    client.force_login(jxw)

    with time_machine.travel(dt.datetime(2026, 7, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        page = client.get("/applications/").content.decode()
        overdue_only = client.get("/applications/?overdue=1").content.decode()
        api = APIClient()
        api.force_authenticate(jxw)
        rows = api.get("/api/v1/applications/?sort=due").json()["results"]

    assert page.index(late.reference) < page.index(fresh.reference)  # officers: the nearest due date first
    assert 'data-overdue="2"' in page  # due Tuesday 30 June: on Thursday 2 July two working days late
    assert late.reference in overdue_only and fresh.reference not in overdue_only
    assert [r["reference"] for r in rows] == [late.reference, fresh.reference]
    assert rows[0]["overdue"] is True and rows[1]["overdue"] is False and rows[1]["working_days_left"] > 0


@time_machine.travel(MONDAY, tick=False)
def test_the_applicant_sees_the_expected_decision_date():
    owner = applicant()
    app = submitted(owner)
    client = Client()
    client.force_login(owner)

    page = client.get(f"/applications/{app.pk}/").content.decode()

    assert 'id="expected-decision">2026-06-30<' in page
    assert "预计办结日期" in page


def test_each_bureau_head_gets_one_digest_a_day_naming_the_overdue_applications():
    owner, jxw_head, other_head = applicant(), head("市经济信息委"), head("市科技局")
    officer("市经济信息委")  # not a head: no digest
    with time_machine.travel(MONDAY, tick=False):
        late = submitted(owner)
        on_time = submitted(owner)
        Application.objects.filter(pk=on_time.pk).update(due_on=dt.date(2026, 8, 1))

    first = overdue_digests_send(today=dt.date(2026, 7, 2))
    again = overdue_digests_send(today=dt.date(2026, 7, 2))
    next_day = overdue_digests_send(today=dt.date(2026, 7, 3))

    digests = Notification.objects.filter(kind=OVERDUE_DIGEST).order_by("pk")
    assert (first, again, next_day) == (1, 0, 1)
    assert {d.recipient_id for d in digests} == {jxw_head.pk}
    assert digests[0].params["references"] == [late.reference] and digests[0].params["count"] == 1
    assert not Notification.objects.filter(recipient=other_head).exists()


def test_a_decided_application_is_never_overdue():
    owner, jxw = applicant(), officer("市经济信息委")
    with time_machine.travel(MONDAY, tick=False):
        app = submitted(owner)
        application_transition(actor=jxw, application_id=app.pk, action="approve")

    assert Application.objects.get(pk=app.pk).status == Status.APPROVED
    assert Application.objects.get(pk=app.pk).due_on is None
    assert overdue_digests_send(today=dt.date(2026, 9, 1)) == 0
