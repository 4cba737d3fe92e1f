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
from subsidies.models import Application
from subsidies.models.applications import Status

from .models import (
    PIC_GOVERNANCE,
    ComplexMember,
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


def _require_fact(facts: dict, code: str, choices=None, message: str = ""):
    value = facts.get(code)
    if value in (None, "", []) or (choices is not None and value not in choices):
        raise DomainError("recognition_fact_missing", message or f"The application does not state {code}.", f"facts.{code}")
    return value


def _save(carrier, *, field_prefix: str = "register"):
    """full_clean (the register's own validation), then save; a taken name is a conflict, not a crash."""
    try:
        carrier.full_clean(exclude=["application", "organisation", "supervising_bureau"], validate_unique=False)
    except ValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        name = field_prefix if field == "__all__" else f"{field_prefix}.{field}"
        raise DomainError(errors[0].code or "invalid", errors[0].messages[0], name) from None
    try:
        with transaction.atomic():
            carrier.save()
    except IntegrityError:
        raise Conflict("name_taken", f"The register already holds {carrier.name!r}.", f"{field_prefix}.name") from None
    return carrier


def _institute(app: Application) -> IndustryResearchInstitute:
    facts, package = app.facts, _package(app)
    return IndustryResearchInstitute(
        name=(package.name if package and package.name else app.organisation.name),
        mode=_require_fact(facts, "rie_mode", IndustryResearchInstitute.Mode.values,
                           "RIE-1: state the institute's development mode."),
        functions=sorted(_require_fact(facts, "rie_functions", message="RIE-1: state the institute's functions.")),
        future_industry_field=_field(facts),
    )


def _complex(app: Application) -> InnovationComplex:
    facts, package = app.facts, _package(app)
    if package is None or not package.name:
        raise DomainError("name_required", "Give the complex's name in the recognition details.", "recognition_package.name")
    governance = set(facts.get("complex_governance") or [])
    missing = [item for item in PIC_GOVERNANCE if item not in governance]
    if missing:
        raise DomainError(
            "pic_governance",
            f"PIC-2: a complex needs a 理事会, a 专家委员会, a 秘书处 and a binding charter or agreement; missing {', '.join(missing)}.",
            "facts.complex_governance",
        )
    if package.charter_signed_on is None:
        raise DomainError("charter_date_required", "PIC-2: give the date the charter or agreement was signed.",
                          "recognition_package.charter_signed_on")
    field = facts.get("complex_field") or ""
    existing = InnovationComplex.objects.filter(name=package.name, organisation=app.organisation).first()
    complex_ = existing or InnovationComplex(name=package.name)
    complex_.kind = _require_fact(facts, "complex_kind", InnovationComplex.Kind.values, "PIC-1: state the kind of complex.")
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
        kind=_require_fact(facts, "carrier_kind", IncubationCarrier.Kind.values, "INC-1: state which kind of incubation carrier it is."),
        level=facts.get("incubator_level") or IncubationCarrier.Level.NONE,
        miit_grade=facts.get("miit_incubator_grade") or IncubationCarrier.MiitGrade.NONE,
        future_industry_field=_field(facts),
    )


def _centre(app: Application) -> IndustryInnovationCentre:
    facts = app.facts
    name = str(_require_fact(facts, "iic_proposed_name", message="IIC-12: state the centre's name."))
    try:
        validate_iic_name(name)
    except ValidationError as exc:
        raise DomainError("iic_name", exc.messages[0], "facts.iic_proposed_name") from None
    requirements = {
        "functions": facts.get("iic_functions") or [], "mechanisms": facts.get("iic_mechanisms") or [],
        "has_leading_talent": facts.get("iic_has_leading_talent") is True,
        "has_rd_facilities": facts.get("iic_has_rd_facilities") is True,
    }
    missing = missing_iic_requirements(**requirements)
    if missing:
        raise DomainError("iic_requirements", f"IIC 第十一条: not met: {', '.join(missing)}.",
                          f"facts.{missing[0].split('.')[0]}")
    plan = IICEstablishmentPlan.objects.filter(application=app).prefetch_related("supporting_documents").first()
    missing_plan = plan_missing(plan)
    if missing_plan:
        raise DomainError("iic_plan_incomplete", f"附件1: the 组建方案 lacks {', '.join(missing_plan)}.",
                          f"iic_plan.{missing_plan[0]}")
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
        raise DomainError("not_approved", "Only an approved application creates a register entry.", "status")
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
