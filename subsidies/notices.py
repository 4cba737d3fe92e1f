"""Who hears of what happens to an application, through notifications.notify(): inbox + email, once per
(recipient, event).

Each notice is written in the transaction of the event it reports and keyed by that event, so an effect
retried (a task redelivered, a service called again) writes nothing twice. The kinds are registered in
SubsidiesConfig.ready(); each has its own email preference.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.kinds import Kind
from notifications.services import notify

from .limits import expected_decision_on
from .models import Application
from .models.applications import Stage

RECEIVED = "application.received"
TO_REVIEW = "application.to_review"
RETURNED = "application.returned"
APPROVED = "application.approved"
REJECTED = "application.rejected"
APPEAL_TO_REVIEW = "appeal.to_review"
APPEAL_UPHELD = "appeal.upheld"
APPEAL_OVERTURNED = "appeal.overturned"
CONSULTED = "consultation.requested"
CALL_OPENED = "call.opened"
OVERDUE_DIGEST = "overdue.digest"

KINDS = (
    Kind(RECEIVED, _("Receipt of a submission"), _("Application %(reference)s received"),
         _("%(clause)s: received on %(date)s. Expected decision by %(expected)s.")),
    Kind(TO_REVIEW, _("An application to review"), _("Application %(reference)s to review"),
         _("%(organisation)s, %(clause)s. Due by %(due)s.")),
    Kind(RETURNED, _("Request for changes"), _("Application %(reference)s returned for changes"),
         _("%(clause)s. What must change: %(reason)s")),
    Kind(APPROVED, _("Approval"), _("Application %(reference)s approved"),
         _("%(clause)s: approved, %(amount_yuan)s.")),
    Kind(REJECTED, _("Rejection"), _("Application %(reference)s not supported"),
         _("%(clause)s. Reason: %(reason)s You may ask for a review (复核) until %(appeal_until)s.")),
    Kind(APPEAL_TO_REVIEW, _("An appeal to review"), _("Appeal on application %(reference)s to review"),
         _("%(organisation)s, %(clause)s. Due by %(due)s.")),
    Kind(APPEAL_UPHELD, _("Appeal outcome"), _("Appeal on application %(reference)s: rejection upheld"),
         _("%(clause)s. Reason: %(reason)s")),
    Kind(APPEAL_OVERTURNED, _("Appeal outcome: overturned"),
         _("Appeal on application %(reference)s: rejection overturned"),
         _("%(clause)s. The application is reviewed again. Reason: %(reason)s")),
    Kind(CONSULTED, _("Consultation request"), _("Your bureau is consulted on application %(reference)s"),
         _("%(from_bureau)s asks: %(question)s")),
    Kind(CALL_OPENED, _("Call for applications opened"), _("Call open: %(title)s"),
         _("For %(clauses)s; closes %(closes)s.")),
    Kind(OVERDUE_DIGEST, _("Overdue digest (bureau heads)"), _("%(count)s applications past their time limit"),
         _("%(bureau)s, %(date)s: %(references)s")),
)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def applicant_users(app: Application) -> QuerySet:
    return _users().filter(profile__role=Role.APPLICANT, profile__organisation_id=app.organisation_id)


def bureau_officers(bureau_id: int | None) -> QuerySet:
    return _users().filter(profile__role=Role.OFFICER, profile__bureau_id=bureau_id)


def _acting_bureau_id(app: Application) -> int | None:
    return app.district_bureau_id if app.stage == Stage.DISTRICT else app.bureau_id


def _params(app: Application, **extra) -> dict:
    return {"reference": app.reference, "clause": app.clause.code, "organisation": app.organisation.name,
            "due": _day(app.due_on), **extra}


def _url(app: Application) -> str:
    return reverse("applications:detail", args=[app.pk])


def application_event_notice(app: Application, event, action: str, *, appeal_until: dt.date | None = None,
                             assigned_to=None) -> None:
    """What the declared action `action` (its event just written) tells whom."""
    key = f"application-event:{event.pk}"
    reason = event.reason or "—"
    url = _url(app)
    to_applicant = {
        "return": RETURNED, "approve": APPROVED, "reject": REJECTED, "uphold": APPEAL_UPHELD,
        "overturn": APPEAL_OVERTURNED, "submit": RECEIVED, "resubmit": RECEIVED,
    }.get(action)
    if to_applicant:
        notify(recipients=applicant_users(app), kind=to_applicant, key=key, url=url, params=_params(
            app, reason=reason, amount_yuan=app.amount_approved_yuan or 0, appeal_until=_day(appeal_until),
            date=_day(timezone.localdate()), expected=_day(expected_decision_on(app))))
    if action in ("submit", "resubmit", "recommend", "reassign"):
        notify(recipients=bureau_officers(_acting_bureau_id(app)), kind=TO_REVIEW, key=key, url=url,
               params=_params(app))
    if action == "appeal":
        reviewers = [assigned_to] if assigned_to is not None else bureau_officers(_acting_bureau_id(app)).exclude(
            pk=app.decided_by_id)
        notify(recipients=reviewers, kind=APPEAL_TO_REVIEW, key=key, url=url, params=_params(app))


def consultation_notice(app: Application, consultation) -> None:
    """The consulted bureau's officers hear of the question."""
    notify(recipients=bureau_officers(consultation.bureau_id), kind=CONSULTED, key=f"consultation:{consultation.pk}",
           url=_url(app), params=_params(app, from_bureau=app.bureau.short_name_zh if app.bureau else "—",
                                         question=consultation.question[:300]))
