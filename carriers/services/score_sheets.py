"""IIC-12 / IIC-A2: an officer of the district 主管单位 or of 市发展改革委 scores an application on 附件2's indicators."""
from __future__ import annotations

from django.db import transaction

from accounts.selectors import bureau_of, organisation_of
from policy_portal.exceptions import Conflict, DomainError, NotAllowed, NotFound
from subsidies.models import Application
from subsidies.models.applications import Status

from ..models import IICScoreSheet, IICSelfAssessment
from ..scoring import score_sheet
from ..selectors import OPEN_STATUSES, indicator_table
from .events import carrier_event

EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


@transaction.atomic
def iic_score_sheet_save(*, actor, application_id, scores, bonus=None) -> IICScoreSheet:
    """Validate and total the sheet (refusing an indicator scored above its weight), then store it for the officer's bureau."""
    try:
        app = Application.objects.select_for_update().select_related("clause").get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found") from None
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk not in (app.district_bureau_id, app.bureau_id):
        raise NotAllowed("not_your_bureau")
    if app.clause.code != "IIC-12":
        raise DomainError("not_applicable", field="application", clause=app.clause.code)
    if app.status not in OPEN_STATUSES:
        raise Conflict("not_open", field="status", status=Status(app.status).label)
    totals = score_sheet(indicator_table(), scores, bonus)
    sheet, created = IICScoreSheet.objects.update_or_create(
        application=app, bureau=bureau,
        defaults={
            "scored_by": actor,
            "scores": {k: str(v) for k, v in totals.scores.items()},
            "bonus": {k: str(v) for k, v in totals.bonus.items()},
            "base_total": totals.base, "bonus_total": totals.bonus_total, "total": totals.total,
        },
    )
    carrier_event(kind="application", object_id=app.pk, action="iic_score", actor=actor,
                  data={"total": str(totals.total), "base": str(totals.base), "bonus": str(totals.bonus_total),
                        "rescored": not created})
    return sheet


@transaction.atomic
def iic_self_assessment_save(*, actor, application_id, scores, bonus=None) -> IICSelfAssessment:
    """The applicant scores its own IIC-12 application on 附件2's indicators while it is a draft or returned:
    part of the application, required before it is submitted (subsidies.workflow's submission condition)."""
    try:
        app = Application.objects.select_for_update().select_related("clause").get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found") from None
    organisation = organisation_of(actor)
    if organisation is None or organisation.pk != app.organisation_id:
        raise NotAllowed("not_owner")
    if app.clause.code != "IIC-12":
        raise DomainError("not_applicable", field="application", clause=app.clause.code)
    if app.status not in EDITABLE_STATUSES:
        raise Conflict("not_editable", field="status")
    totals = score_sheet(indicator_table(), scores, bonus)
    sheet, created = IICSelfAssessment.objects.update_or_create(
        application=app,
        defaults={
            "scored_by": actor,
            "scores": {k: str(v) for k, v in totals.scores.items()},
            "bonus": {k: str(v) for k, v in totals.bonus.items()},
            "base_total": totals.base, "bonus_total": totals.bonus_total, "total": totals.total,
        },
    )
    carrier_event(kind="application", object_id=app.pk, action="iic_self_assessment", actor=actor,
                  data={"total": str(totals.total), "rescored": not created})
    return sheet
