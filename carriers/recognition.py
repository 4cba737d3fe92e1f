"""Recognition: an approved application under a recognition clause becomes a register entry.

RIE-1 → institute, PIC-1 / PIC-2 → complex, INC-1 → incubation carrier, IIC-12 → centre.
`register_from_application` receives subsidies' `application_approved` signal, sent by
`application_transition` when it approves, inside its transaction: a register that refuses the entry (PIC-2's
governance incomplete, an IIC name not 重庆市××产业创新中心, IIC-11 unmet, an incomplete 组建方案)
raises a DomainError naming what is missing, and the approval is rolled back with it.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from policy_portal.exceptions import Conflict, DomainError
from policy_portal.messages import Bilingual, Message
from rules.models import Fact
from subsidies.models import Application
from subsidies.models.applications import Status

from .models import (
    PIC_GOVERNANCE,
    ComplexMember,
    IIC_PLAN_OUTLINE,
    IICEstablishmentPlan,
    IncubationCarrier,
    IndustryInnovationCentre,
    IndustryResearchInstitute,
    InnovationComplex,
    RecognitionPackage,
    missing_iic_requirements,
    validate_iic_name,
)
from .selectors import RECOGNITION_CLAUSES
from .services.events import carrier_event
from .services.packages import plan_missing


def _package(app: Application) -> RecognitionPackage | None:
    return RecognitionPackage.objects.filter(application=app).first()


def _field(facts: dict) -> str:
    value = facts.get("future_industry_field") or ""
    return "" if value == "none" else value


def _labels(items: list[str]) -> list:
    """Facts ("iic_has_leading_talent") and their choices ("iic_mechanisms.talent_service") as the questionnaire
    labels them, in the language active when shown."""
    facts = {f.code: f for f in Fact.objects.filter(code__in={item.partition(".")[0] for item in items})}
    labels = []
    for item in items:
        code, _dot, value = item.partition(".")
        fact = facts.get(code)
        choice = next((c for c in fact.choices if c["value"] == value), None) if fact and value else None
        if choice is not None:
            labels.append(Bilingual(choice["zh"], choice["en"]))
        else:
            labels.append(Bilingual(fact.label_zh, fact.label_en) if fact and not value else item)
    return labels


PLAN_LABELS = {key: label for _section, items in IIC_PLAN_OUTLINE for key, label in items}  # 附件1 as printed


def _require_fact(facts: dict, code: str, clause: str, choices=None):
    value = facts.get(code)
    if value in (None, "", []) or (choices is not None and value not in choices):
        raise DomainError("recognition_fact_missing", field=f"facts.{code}", clause=clause, fact=_labels([code])[0])
    return value


def _save(carrier, *, field_prefix: str = "register"):
    """full_clean (the register's own validation), then save; a taken name is a conflict, not a crash."""
    try:
        carrier.full_clean(exclude=["application", "organisation", "supervising_bureau"], validate_unique=False)
    except ValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        name = field_prefix if field == "__all__" else f"{field_prefix}.{field}"
        error = errors[0]
        params = error.message.params if isinstance(error.message, Message) else {}
        raise DomainError(error.code or "invalid", error.messages[0], name, **params) from None
    try:
        with transaction.atomic():
            carrier.save()
    except IntegrityError:
        raise Conflict("name_taken", field=f"{field_prefix}.name", name=carrier.name) from None
    return carrier


def _institute(app: Application) -> IndustryResearchInstitute:
    facts, package = app.facts, _package(app)
    return IndustryResearchInstitute(
        name=(package.name if package and package.name else app.organisation.name),
        mode=_require_fact(facts, "rie_mode", "RIE-1", IndustryResearchInstitute.Mode.values),
        functions=sorted(_require_fact(facts, "rie_functions", "RIE-1")),
        future_industry_field=_field(facts),
    )


def _complex(app: Application) -> InnovationComplex:
    facts, package = app.facts, _package(app)
    if package is None or not package.name:
        raise DomainError("name_required", field="recognition_package.name")
    governance = set(facts.get("complex_governance") or [])
    missing = [item for item in PIC_GOVERNANCE if item not in governance]
    if missing:
        raise DomainError("pic_governance", field="facts.complex_governance",
                          missing=_labels([f"complex_governance.{item}" for item in missing]))
    if package.charter_signed_on is None:
        raise DomainError("charter_date_required", field="recognition_package.charter_signed_on")
    field = facts.get("complex_field") or ""
    existing = InnovationComplex.objects.filter(name=package.name, organisation=app.organisation).first()
    complex_ = existing or InnovationComplex(name=package.name)
    complex_.kind = _require_fact(facts, "complex_kind", "PIC-1", InnovationComplex.Kind.values)
    complex_.lead_unit = app.organisation.name
    complex_.has_council = complex_.has_expert_committee = complex_.has_secretariat = True
    complex_.charter_signed_on = package.charter_signed_on
    complex_.future_industry_field = "" if field == "none" else field
    if facts.get("complex_formed_on"):
        complex_.formed_on = dt.date.fromisoformat(facts["complex_formed_on"])
    complex_.operating_as_entity = bool(facts.get("complex_operating_as_entity", complex_.operating_as_entity))
    return complex_


def _incubator(app: Application) -> IncubationCarrier:
    facts, package = app.facts, _package(app)
    return IncubationCarrier(
        name=(package.name if package and package.name else app.organisation.name),
        kind=_require_fact(facts, "carrier_kind", "INC-1", IncubationCarrier.Kind.values),
        level=facts.get("incubator_level") or IncubationCarrier.Level.NONE,
        miit_grade=facts.get("miit_incubator_grade") or IncubationCarrier.MiitGrade.NONE,
        future_industry_field=_field(facts),
    )


def _centre(app: Application) -> IndustryInnovationCentre:
    facts = app.facts
    name = str(_require_fact(facts, "iic_proposed_name", "IIC-12"))
    try:
        validate_iic_name(name)
    except ValidationError:
        raise DomainError("iic_name", field="facts.iic_proposed_name") from None
    requirements = {
        "functions": facts.get("iic_functions") or [], "mechanisms": facts.get("iic_mechanisms") or [],
        "has_leading_talent": facts.get("iic_has_leading_talent") is True,
        "has_rd_facilities": facts.get("iic_has_rd_facilities") is True,
    }
    missing = missing_iic_requirements(**requirements)
    if missing:
        raise DomainError("iic_requirements", field=f"facts.{missing[0].split('.')[0]}", missing=_labels(missing))
    plan = IICEstablishmentPlan.objects.filter(application=app).prefetch_related("supporting_documents").first()
    missing_plan = plan_missing(plan)
    if missing_plan:
        raise DomainError("iic_plan_incomplete", field=f"iic_plan.{missing_plan[0]}",
                          missing=[PLAN_LABELS.get(item, item) for item in missing_plan])
    return IndustryInnovationCentre(name=name, lead_unit=app.organisation.name, supervising_bureau=app.district_bureau,
                                    future_industry_field=_field(facts), **requirements)


BUILDERS = {"institute": _institute, "complex": _complex, "incubator": _incubator, "centre": _centre}


def register_from_application(app: Application, *, actor=None):
    """Create (or, for a second PIC clause, complete) the register entry of an approved recognition application.

    Returns the carrier, or None when the clause is not a recognition clause. Idempotent: an
    application already in a register returns its entry.
    """
    register = RECOGNITION_CLAUSES.get(app.clause.code)
    if register is None:
        return None
    if app.status != Status.APPROVED:
        raise DomainError("not_approved", field="status")
    existing = register.model.objects.filter(application=app).first()
    if existing is not None:
        return existing
    carrier = BUILDERS[register.kind](app)
    created = carrier.pk is None
    carrier.organisation = app.organisation
    carrier.district = carrier.district or app.organisation.district
    if created:
        carrier.application = app
        carrier.recognised_on = timezone.localdate(app.decided_at) if app.decided_at else timezone.localdate()
    _save(carrier)
    if register.kind == "complex":
        package = _package(app)
        for member in package.members:
            ComplexMember.objects.update_or_create(complex=carrier, name=member["name"], defaults={"role": member["role"]})
    carrier_event(kind=register.kind, object_id=carrier.pk, action="recognise" if created else "recognise_again",
                  actor=actor, data={"application": app.reference, "clause": app.clause.code})
    return carrier


def on_application_approved(sender, *, application: Application, actor, **kwargs) -> None:
    register_from_application(application, actor=actor)
