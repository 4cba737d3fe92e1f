"""Submitting inside a call for applications (申报批次): verified organisations only, while a call for the clause is
open or the clause is rolling (常年受理), decided by PostgreSQL's commit time at the closing minute."""
import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import override

from accounts.models import Profile, Role
from policy_portal.exceptions import Conflict, NotAllowed
from programmes.services import call_close_at, call_create
from subsidies.models import Application
from subsidies.models.applications import Status
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, OrganisationFactory, UserFactory, applicant, standard_item

SECOND = dt.timedelta(seconds=1)


def admin():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.ADMIN)
    return user


def draft(user, clause="FIM-4.2"):
    return application_create(actor=user, clause_code=clause, facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                              as_of=dt.date(2026, 6, 1))


def as_if_committed():
    """Run the deferred commit-time checks now, as COMMIT would (the test's transaction never commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS application_submitted_while_call_open IMMEDIATE")


def a_call(opens_at, closes_at, clause="FIM-4.2"):
    return call_create(actor=admin(), title_zh="2026年标准化支持申报", clause_codes=[clause], opens_at=opens_at,
                       closes_at=closes_at)


@pytest.mark.django_db
def test_an_unverified_organisation_drafts_but_cannot_submit():
    user = applicant(OrganisationFactory(status="unverified"))
    app = draft(user)

    with pytest.raises(NotAllowed) as refused, override("zh-hans"):
        application_submit(actor=user, application_id=app.pk)

        assert refused.value.code == "organisation_not_verified" and refused.value.field == "organisation"
        assert "营业执照" in refused.value.message and "待认证" in refused.value.message or "认证" in refused.value.message
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT


@pytest.mark.django_db
def test_a_clause_that_never_had_a_call_is_rolling():
    user = applicant()

    app = application_submit(actor=user, application_id=draft(user).pk)

    assert app.status == Status.SUBMITTED and app.call is None


@pytest.mark.django_db
def test_one_second_before_closing_it_is_submitted_under_the_call():
    closes = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    call = a_call(closes - dt.timedelta(days=10), closes)
    user = applicant()
    app = draft(user)

    with time_machine.travel(closes - SECOND, tick=False):
        submitted = application_submit(actor=user, application_id=app.pk)

    assert submitted.status == Status.SUBMITTED and submitted.call == call


@pytest.mark.django_db
def test_one_second_after_closing_it_is_refused_naming_the_closing_time_in_chinese():
    closes = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=1)
    a_call(closes - dt.timedelta(days=10), closes)
    user = applicant()
    app = draft(user)

    with time_machine.travel(closes + SECOND, tick=False), pytest.raises(Conflict) as refused, override("zh-hans"):
        application_submit(actor=user, application_id=app.pk)
    with override("zh-hans"):
        message = refused.value.message

    assert refused.value.code == "call_closed" and refused.value.field == "clause"
    assert f"{timezone.localtime(closes):%Y-%m-%d %H:%M}" in message and "截止" in message
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT


@pytest.mark.django_db
def test_before_a_call_opens_the_refusal_names_the_opening_time():
    opens = timezone.now() + dt.timedelta(days=2)
    a_call(opens, opens + dt.timedelta(days=30))
    user = applicant()

    with pytest.raises(Conflict) as refused:
        application_submit(actor=user, application_id=draft(user).pk)

    assert refused.value.code == "call_not_open_yet"
    assert refused.value.params["opens_at"] == f"{timezone.localtime(opens):%Y-%m-%d %H:%M}"


@pytest.mark.django_db
def test_a_rolling_call_takes_submissions_until_it_is_given_a_closing_time():
    call = a_call(timezone.now() - dt.timedelta(days=1), None)
    user = applicant()

    first = application_submit(actor=user, application_id=draft(user).pk)
    as_if_committed()
    call_close_at(actor=admin(), call_id=call.pk, closes_at=timezone.now() - SECOND)

    assert first.status == Status.SUBMITTED and first.call == call
    with pytest.raises(Conflict):
        application_submit(actor=user, application_id=draft(user).pk)


@pytest.mark.django_db(transaction=True)
def test_postgresql_decides_a_submit_in_flight_at_the_closing_minute_by_its_commit_time():
    from catalogue.loading import policies_load

    policies_load()
    closes = timezone.now()  # closed for PostgreSQL's clock by the time anything commits
    a_call(closes - dt.timedelta(days=10), closes)
    user = applicant()
    late, early = draft(user), draft(user)

    # The application server still sees 12:00:00 minus a second when it checks; the database commits after closing.
    with time_machine.travel(closes - SECOND, tick=False), pytest.raises(Conflict) as refused:
        application_submit(actor=user, application_id=late.pk)
    with pytest.raises(IntegrityError), transaction.atomic():  # the raw guard, without the service's translation
        Application.objects.filter(pk=early.pk).update(status=Status.SUBMITTED)

    late.refresh_from_db()
    early.refresh_from_db()
    assert refused.value.code == "call_closed"
    assert refused.value.params["closes_at"] == f"{timezone.localtime(closes):%Y-%m-%d %H:%M}"
    assert (late.status, late.submitted_at, late.call_id) == (Status.DRAFT, None, None)
    assert not late.events.filter(action="submit").exists() and early.status == Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_a_submit_committed_before_closing_stands():
    from catalogue.loading import policies_load

    policies_load()
    a_call(timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(seconds=30))
    user = applicant()

    app = application_submit(actor=user, application_id=draft(user).pk)

    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED
