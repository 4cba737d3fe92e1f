"""IIC-16, the change report: "市产业创新中心发生更名、牵头单位变更、破产或重组等重大调整的，应在办理变更登记等相关手续
后的 30 个工作日内，由主管单位将有关情况报送市发展改革委确认".

The centre (its lead organisation) or its 主管单位 declares the change with the day its registration was completed;
the due day is 30 working days later on the official holiday calendar (policy_portal.workdays; provisional where
the State Council has not yet published a year's arrangement). The 主管单位 reports it; 市发展改革委 (IIC-16's bureau)
confirms it. Its state on a day (CentreChange.state): pending, overdue, reported, reported late, confirmed.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.selectors import bureau_of, organisation_of
from policy_portal.exceptions import Conflict, DomainError, NotAllowed, NotFound
from policy_portal.workdays import add_working_days

from ..models import CentreChange, IndustryInnovationCentre
from ..selectors import clause_bureau_ids
from .events import carrier_event

IIC16_WORKING_DAYS = 30
MAX_DESCRIPTION = 2000


def is_centre_member(actor, centre) -> bool:
    organisation = organisation_of(actor)
    return organisation is not None and centre.organisation_id == organisation.pk


def is_supervisor(actor, centre) -> bool:
    """An officer of the centre's 主管单位, who reports (第十六条 "由主管单位…报送")."""
    bureau = bureau_of(actor)
    return bureau is not None and bureau.pk == centre.supervising_bureau_id


def is_confirmer(actor) -> bool:
    """An officer of IIC-16's bureau (市发展改革委), who confirms (第十六条 "报送市发展改革委确认")."""
    bureau = bureau_of(actor)
    return bureau is not None and bureau.pk in clause_bureau_ids("IIC-16")


def _centre(centre_id) -> IndustryInnovationCentre:
    """The recognised centre named in the input, or a refusal naming the field (it is input, not a path)."""
    try:
        return IndustryInnovationCentre.objects.select_related("supervising_bureau").get(
            pk=centre_id, recognised_on__isnull=False)
    except (IndustryInnovationCentre.DoesNotExist, ValueError, TypeError):
        raise DomainError("invalid_choice", field="centre") from None


def _change_for_update(change_id) -> CentreChange:
    try:
        return CentreChange.objects.select_for_update(of=("self",)).select_related("centre").get(pk=change_id)
    except (CentreChange.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found") from None


def change_deadline(registered_on: dt.date):
    """The 30th working day after the registration was completed (the day itself not counted)."""
    return add_working_days(registered_on, IIC16_WORKING_DAYS)


@transaction.atomic
def centre_change_declare(*, actor, centre_id, kind: str, registered_on, description: str = "",
                          today: dt.date) -> CentreChange:
    """The centre or its 主管单位 declares a major change; the same change declared twice is one declaration."""
    centre = _centre(centre_id)
    if not (is_centre_member(actor, centre) or is_supervisor(actor, centre)):
        raise NotAllowed("not_centre_or_supervisor")
    if kind not in CentreChange.Kind.values:
        raise DomainError("invalid_choice", field="kind")
    if not isinstance(registered_on, dt.date):
        raise DomainError("invalid_date", field="registered_on")
    if registered_on > today:
        raise DomainError("change_in_future", field="registered_on")
    if centre.recognised_on and registered_on < centre.recognised_on:
        raise DomainError("change_before_recognition", field="registered_on", day=centre.recognised_on)
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError("too_long", field="description", limit=MAX_DESCRIPTION)
    existing = CentreChange.objects.filter(centre=centre, kind=kind, registered_on=registered_on).first()
    if existing is not None:
        return existing
    deadline = change_deadline(registered_on)
    change = CentreChange.objects.create(
        centre=centre, kind=kind, registered_on=registered_on, due_on=deadline.due_on,
        due_provisional=deadline.provisional, description=description, declared_by=actor,
    )
    carrier_event(kind="centre", object_id=centre.pk, action="change_declared", actor=actor,
                  data={"clause": "IIC-16", "change": kind, "registered_on": registered_on.isoformat(),
                        "due_on": change.due_on.isoformat(), "provisional": change.due_provisional})
    return change


@transaction.atomic
def centre_change_report(*, actor, change_id, today: dt.date) -> CentreChange:
    """The 主管单位 reports the change to 市发展改革委, today; after the due day it is reported late."""
    change = _change_for_update(change_id)
    if not is_supervisor(actor, change.centre):
        raise NotAllowed("not_supervising_bureau")
    if change.reported_on is not None:
        raise Conflict("change_already_reported", field="reported_on", day=change.reported_on)
    change.reported_on, change.reported_by = today, actor
    change.save(update_fields=["reported_on", "reported_by"])
    carrier_event(kind="centre", object_id=change.centre_id, action="change_reported", actor=actor,
                  data={"clause": "IIC-16", "change": change.kind, "reported_on": today.isoformat(),
                        "due_on": change.due_on.isoformat(), "late": today > change.due_on})
    return change


@transaction.atomic
def centre_change_confirm(*, actor, change_id, today: dt.date) -> CentreChange:
    """市发展改革委 confirms a reported change."""
    change = _change_for_update(change_id)
    if not is_confirmer(actor):
        raise NotAllowed("not_responsible_bureau", clause="IIC-16")
    if change.reported_on is None:
        raise Conflict("change_not_reported", field="reported_on")
    if change.confirmed_on is not None:
        raise Conflict("change_already_confirmed", field="confirmed_on", day=change.confirmed_on)
    change.confirmed_on, change.confirmed_by = today, actor
    change.save(update_fields=["confirmed_on", "confirmed_by"])
    carrier_event(kind="centre", object_id=change.centre_id, action="change_confirmed", actor=actor,
                  data={"clause": "IIC-16", "change": change.kind, "confirmed_on": today.isoformat()})
    return change


def change_actions(user, change: CentreChange) -> list[str]:
    """What `user` may do with the change now: report (the 主管单位), confirm (市发展改革委)."""
    actions = []
    if change.reported_on is None and is_supervisor(user, change.centre):
        actions.append("report")
    if change.reported_on is not None and change.confirmed_on is None and is_confirmer(user):
        actions.append("confirm")
    return actions
