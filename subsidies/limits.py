"""办理时限: how many working days each stage of an application may take, its due date, days left and the
expected decision date; and how long after a rejection the applicant may appeal (复核).

A limit comes from the call the application was submitted under (programmes.Call.review_days / appeal_days),
else from its clause's routing rule (RoutingRule.review_days / appeal_days), else from the settings
(PORTAL_REVIEW_WORKING_DAYS, PORTAL_APPEAL_WORKING_DAYS). Working days are those of the official holiday
calendar (policy_portal.workdays): a date counted through a year whose arrangement is not yet published is
marked provisional.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from policy_portal.workdays import add_working_days, is_working_day
from programmes.models import Call
from programmes.selectors import open_call

from .models import Application, RoutingRule
from .models.applications import Stage, Status

APPEAL = "appeal"  # the review of an appeal, timed like a stage
RUNNING = frozenset({Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW, Status.APPEALED})


def call_of(app: Application) -> Call | None:
    """The call the application was submitted under (the one open for its clause when it was submitted)."""
    call = getattr(app, "call", None)
    if isinstance(call, Call):
        return call
    if app.submitted_at is None:
        return None
    return open_call(app.clause.code, at=app.submitted_at)


def _routing(app: Application) -> RoutingRule | None:
    return RoutingRule.objects.filter(clause_id=app.clause_id).first()


def stage_days(app: Application, stage: str) -> int:
    """Working days the stage (single, district, city or appeal) may take for this application."""
    call = call_of(app)
    if call is not None and isinstance(call.review_days, dict) and call.review_days.get(stage):
        return int(call.review_days[stage])
    routing = _routing(app)
    if routing is not None and isinstance(routing.review_days, dict) and routing.review_days.get(stage):
        return int(routing.review_days[stage])
    return int(settings.PORTAL_REVIEW_WORKING_DAYS[stage])


def appeal_days(app: Application) -> int:
    """Working days after the rejection within which the applicant may appeal."""
    routing = _routing(app)
    call = call_of(app)
    if call is not None and call.appeal_days:
        return int(call.appeal_days)
    if routing is not None and routing.appeal_days:
        return int(routing.appeal_days)
    return int(settings.PORTAL_APPEAL_WORKING_DAYS)


def start_clock(app: Application, stage: str | None = None, *, today: dt.date | None = None) -> None:
    """The application enters a stage today: store the day it is due."""
    stage = stage or app.stage
    deadline = add_working_days(today or timezone.localdate(), stage_days(app, stage))
    app.due_on, app.due_provisional = deadline.due_on, deadline.provisional


def stop_clock(app: Application) -> None:
    app.due_on, app.due_provisional = None, False


def appeal_deadline(app: Application) -> dt.date | None:
    """The last working day on which a rejection can be appealed (None if not decided)."""
    if app.decided_at is None:
        return None
    return add_working_days(timezone.localdate(app.decided_at), appeal_days(app)).due_on


def working_days_left(due_on: dt.date | None, today: dt.date | None = None) -> int | None:
    """Working days from today to the due date: 0 on the day it is due, negative once overdue."""
    if due_on is None:
        return None
    today = today or timezone.localdate()
    start, end, sign = (today, due_on, 1) if due_on >= today else (due_on, today, -1)
    day, count = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day)[0]:
            count += 1
    return sign * count


def is_overdue(app: Application, today: dt.date | None = None) -> bool:
    return app.status in RUNNING and app.due_on is not None and app.due_on < (today or timezone.localdate())


def expected_decision_on(app: Application) -> dt.date | None:
    """What the applicant is told: the current stage's due date, plus the municipal stage after a district one."""
    if app.status not in RUNNING or app.due_on is None:
        return None
    if app.stage == Stage.DISTRICT and app.status != Status.APPEALED:
        return add_working_days(app.due_on, stage_days(app, Stage.CITY)).due_on
    return app.due_on
