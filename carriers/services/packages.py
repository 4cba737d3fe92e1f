"""What an applicant adds to a recognition application: the recognition details (name, members, charter) and the IIC 组建方案.

Editable while the application is a draft or returned for changes, by its organisation;
recognition (carriers.recognition) reads them when the application is approved.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.selectors import organisation_of
from policy_portal.exceptions import Conflict, DomainError, NotAllowed, NotFound
from policy_portal.messages import Message
from subsidies.models import Application, Attachment
from subsidies.models.applications import Status

from ..models import (
    IIC_PLAN_OPTIONAL,
    IIC_PLAN_SUMMARY_MAX,
    IIC_PLAN_TEXT_FIELDS,
    IICEstablishmentPlan,
    RecognitionPackage,
)
from ..selectors import RECOGNITION_CLAUSES
from .events import carrier_event

MAX_MEMBERS = 200
MAX_SECTION = 20000
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _application_for_update(actor, application_id, clauses) -> Application:
    try:
        app = Application.objects.select_for_update().select_related("clause").get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found") from None
    org = organisation_of(actor)
    if org is None or org.pk != app.organisation_id:
        raise NotAllowed("not_owner")
    if app.clause.code not in clauses:
        raise DomainError("not_applicable", field="application", clause=app.clause.code)
    if app.status not in EDITABLE:
        raise Conflict("not_editable", field="status")
    return app


def _members(members) -> list[dict]:
    if members is None:
        return []
    if not isinstance(members, list) or len(members) > MAX_MEMBERS:
        raise DomainError("invalid_type", field="members", expected=Message("expected_members", limit=MAX_MEMBERS))
    out, seen = [], set()
    for n, member in enumerate(members):
        if not isinstance(member, dict):
            raise DomainError("invalid_type", field=f"members.{n}", expected=Message("expected_member"))
        name = str(member.get("name") or "").strip()
        role = str(member.get("role") or "").strip()
        if not name:
            raise DomainError("required", field=f"members.{n}.name")
        if len(name) > 120:
            raise DomainError("too_long", field=f"members.{n}.name", limit=120)
        if len(role) > 40:
            raise DomainError("too_long", field=f"members.{n}.role", limit=40)
        if name in seen:
            raise DomainError("duplicate", field=f"members.{n}.name", name=name)
        seen.add(name)
        out.append({"name": name, "role": role})
    return out


@transaction.atomic
def recognition_package_save(
    *, actor, application_id, name: str = "", members: list | None = None, charter_signed_on: dt.date | None = None,
) -> RecognitionPackage:
    """RIE-1, PIC-1/2, INC-1: the carrier's name and, for a complex, its member units and the charter's signing date."""
    clauses = tuple(code for code in RECOGNITION_CLAUSES if code != "IIC-12")
    app = _application_for_update(actor, application_id, clauses)
    name = (name or "").strip()
    if len(name) > 120:
        raise DomainError("too_long", field="name", limit=120)
    if charter_signed_on is not None and not isinstance(charter_signed_on, dt.date):
        raise DomainError("invalid_date", field="charter_signed_on")
    package, _ = RecognitionPackage.objects.update_or_create(
        application=app, defaults={"name": name, "members": _members(members), "charter_signed_on": charter_signed_on},
    )
    carrier_event(kind="application", object_id=app.pk, action="recognition_details", actor=actor,
                  data={"name": name, "members": len(package.members)})
    return package


def plan_missing(plan: IICEstablishmentPlan | None) -> list[str]:
    """The 附件1 sub-items a plan still lacks (all but 七 are required; 八 needs the charter and a supporting document)."""
    if plan is None:
        return [*[f for f in IIC_PLAN_TEXT_FIELDS if f not in IIC_PLAN_OPTIONAL], "charter", "supporting_documents"]
    missing = [f for f in IIC_PLAN_TEXT_FIELDS if f not in IIC_PLAN_OPTIONAL and not getattr(plan, f).strip()]
    if plan.charter_id is None:
        missing.append("charter")
    if not plan.supporting_documents.exists():
        missing.append("supporting_documents")
    return missing


def _attachments(app: Application, ids, field: str) -> list[Attachment]:
    if not isinstance(ids, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise DomainError("invalid_type", field=field, expected=Message("expected_attachments"))
    found = {a.pk: a for a in Attachment.objects.filter(application=app, pk__in=ids)}
    for i in ids:
        if i not in found:
            raise DomainError("unknown_attachment", field=field)
    return [found[i] for i in ids]


@transaction.atomic
def iic_plan_save(
    *, actor, application_id, sections: dict, charter_id: int | None = None, supporting_ids: list | None = None,
) -> IICEstablishmentPlan:
    """IIC-12: the 组建方案 following 附件1 — one text per sub-item (摘要 at most 2,500 characters) and 八、附件."""
    app = _application_for_update(actor, application_id, ("IIC-12",))
    if not isinstance(sections, dict):
        raise DomainError("invalid_type", field="sections", expected=Message("expected_object"))
    unknown = [k for k in sections if k not in IIC_PLAN_TEXT_FIELDS]
    if unknown:
        raise DomainError("unknown_section", field=f"sections.{unknown[0]}", section=unknown[0])
    values = {}
    for key, text in sections.items():
        if not isinstance(text, str):
            raise DomainError("invalid_type", field=f"sections.{key}", expected=Message("expected_text"))
        text = text.replace("\r\n", "\n").strip()
        limit = IIC_PLAN_SUMMARY_MAX if key == "summary" else MAX_SECTION
        if len(text) > limit:
            raise DomainError("too_long", field=f"sections.{key}", limit=limit)
        values[key] = text
    if charter_id is not None:
        values["charter"] = _attachments(app, [charter_id], "charter_id")[0]
    supporting = _attachments(app, supporting_ids, "supporting_ids") if supporting_ids is not None else None
    plan, _ = IICEstablishmentPlan.objects.update_or_create(application=app, defaults=values)
    if supporting is not None:
        plan.supporting_documents.set(supporting)
    carrier_event(kind="application", object_id=app.pk, action="iic_plan", actor=actor,
                  data={"sections": sorted(values), "missing": plan_missing(plan)})
    return plan
