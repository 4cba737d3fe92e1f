"""Annual assessments entered by the responsible bureaus' officers: RIE-2, PIC-4, INC-2, IIC-13, IIC-14, IIC-15.

Entering a year again corrects that year's result (one row per carrier and year); every
entry is audited. The responsible bureaus are the clause's bureaus in the current rule
version (and, for IIC-13, the centre's 主管单位).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from accounts.selectors import bureau_of
from policy_portal.exceptions import DomainError, NotAllowed, NotFound
from policy_portal.messages import Message

from ..models import (
    Adjustment,
    CentreAnnualReport,
    CentreEvaluation,
    CentreFraudFinding,
    ComplexAssessment,
    IncubationCarrier,
    IncubatorAssessment,
    IndustryInnovationCentre,
    IndustryResearchInstitute,
    InnovationComplex,
    InstituteAssessment,
    Rating,
)
from ..selectors import ASSESSMENT_CLAUSES, assessing_bureau_ids
from .events import carrier_event
from .registers import after_adjustment, after_assessment

MAX_NOTES = 5000
FIRST_YEAR = 2024  # the earliest of the four documents (PIC, 2024)
LAST_YEAR = 2100


def _carrier_for_update(model, carrier_id):
    try:
        return model.objects.select_for_update().get(pk=carrier_id, recognised_on__isnull=False)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found") from None


def _require_assessor(actor, what: str, carrier):
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk not in assessing_bureau_ids(what, carrier):
        raise NotAllowed("not_responsible_bureau", clause=ASSESSMENT_CLAUSES[what])
    return bureau


def _year(year, carrier) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError("invalid_year", field="year", first=FIRST_YEAR, last=LAST_YEAR)
    if carrier.recognised_on and year < carrier.recognised_on.year:
        raise DomainError("before_recognition", field="year", year=carrier.recognised_on.year)
    return year


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise DomainError("invalid_choice", field=field)
    return value


def _count(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError("invalid_type", field=field, expected=Message("expected_count"))
    return value


def _percent(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, AttributeError):
        raise DomainError("invalid_type", field=field, expected=Message("expected_percentage")) from None
    if isinstance(value, bool) or not number.is_finite() or not 0 <= number <= 100:
        raise DomainError("out_of_range", field=field)
    if number != number.quantize(Decimal("0.01")):
        raise DomainError("invalid_precision", field=field)
    return number


def _notes(notes: str, field: str = "notes", *, required: bool = False, limit: int = MAX_NOTES) -> str:
    notes = (notes or "").strip()
    if required and not notes:
        raise DomainError("required", field=field)
    if len(notes) > limit:
        raise DomainError("too_long", field=field, limit=limit)
    return notes


def _date(value, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError("invalid_date", field=field)
    return value


def _record(model, lookup: dict, values: dict):
    obj, created = model.objects.update_or_create(**lookup, defaults=values)
    return obj, created


@transaction.atomic
def institute_assessment_record(
    *, actor, institute_id, year: int, rating: str, incubated_future_enterprises: int, technical_services: int,
    notes: str = "",
) -> InstituteAssessment:
    """RIE-2: the year's performance evaluation, in the institute's category (its development mode)."""
    institute = _carrier_for_update(IndustryResearchInstitute, institute_id)
    bureau = _require_assessor(actor, "institute", institute)
    values = {
        "category": institute.mode,
        "rating": _choice(rating, Rating, "rating"),
        "incubated_future_enterprises": _count(incubated_future_enterprises, "incubated_future_enterprises"),
        "technical_services": _count(technical_services, "technical_services"),
        "notes": _notes(notes), "bureau": bureau, "assessed_by": actor,
    }
    assessment, created = _record(InstituteAssessment, {"institute": institute, "year": _year(year, institute)}, values)
    carrier_event(kind="institute", object_id=institute.pk, action="assess", actor=actor,
                  data={"clause": "RIE-2", "year": year, "rating": rating, "category": institute.mode, "corrected": not created})
    after_assessment(institute, "institute", values["rating"], year=year, actor=actor)
    return assessment


@transaction.atomic
def complex_assessment_record(
    *, actor, complex_id, year: int, rating: str, operating_as_entity: bool, rd_spend_yuan: int = 0,
    revenue_yuan: int = 0, new_product_sales_yuan: int = 0, key_tech_tasks: int = 0, needs_solved: int = 0,
    typical_cases: int = 0, notes: str = "",
) -> ComplexAssessment:
    """PIC-4: the year's performance evaluation; a complex rated 优秀 is named and given a plaque (命名授牌)."""
    complex_ = _carrier_for_update(InnovationComplex, complex_id)
    bureau = _require_assessor(actor, "complex", complex_)
    if not isinstance(operating_as_entity, bool):
        raise DomainError("invalid_type", field="operating_as_entity", expected=Message("expected_bool"))
    figures = {
        "rd_spend_yuan": _count(rd_spend_yuan, "rd_spend_yuan"),
        "revenue_yuan": _count(revenue_yuan, "revenue_yuan"),
        "new_product_sales_yuan": _count(new_product_sales_yuan, "new_product_sales_yuan"),
        "key_tech_tasks": _count(key_tech_tasks, "key_tech_tasks"),
        "needs_solved": _count(needs_solved, "needs_solved"),
        "typical_cases": _count(typical_cases, "typical_cases"),
    }
    for part in ("rd_spend_yuan", "new_product_sales_yuan"):
        if figures[part] > figures["revenue_yuan"]:
            raise DomainError("above_revenue", field=part)
    rating = _choice(rating, Rating, "rating")
    values = {**figures, "rating": rating, "named": rating == Rating.EXCELLENT, "operating_as_entity": operating_as_entity,
              "notes": _notes(notes), "bureau": bureau, "assessed_by": actor}
    assessment, created = _record(ComplexAssessment, {"complex": complex_, "year": _year(year, complex_)}, values)
    latest = complex_.assessments.order_by("-year").values_list("year", flat=True).first()
    if latest == year and complex_.operating_as_entity != operating_as_entity:
        complex_.operating_as_entity = operating_as_entity
        complex_.save(update_fields=["operating_as_entity"])
    carrier_event(kind="complex", object_id=complex_.pk, action="assess", actor=actor,
                  data={"clause": "PIC-4", "year": year, "rating": rating, "named": assessment.named, "corrected": not created})
    after_assessment(complex_, "complex", rating, year=year, actor=actor)
    return assessment


@transaction.atomic
def incubator_assessment_record(
    *, actor, carrier_id, year: int, conversion_rate, survival_rate, incubated_valuation_yuan: int, rating: str,
    notes: str = "",
) -> IncubatorAssessment:
    """INC-2: the evaluation on its three dimensions (成果转化率, 企业存活率, 孵化企业估值) and the rating given.

    The document names the dimensions but no formula turning them into a rating, so the officer gives the rating.
    """
    carrier = _carrier_for_update(IncubationCarrier, carrier_id)
    bureau = _require_assessor(actor, "incubator", carrier)
    values = {
        "conversion_rate": _percent(conversion_rate, "conversion_rate"),
        "survival_rate": _percent(survival_rate, "survival_rate"),
        "incubated_valuation_yuan": _count(incubated_valuation_yuan, "incubated_valuation_yuan"),
        "rating": _choice(rating, Rating, "rating"),
        "notes": _notes(notes), "bureau": bureau, "assessed_by": actor,
    }
    assessment, created = _record(IncubatorAssessment, {"carrier": carrier, "year": _year(year, carrier)}, values)
    carrier_event(kind="incubator", object_id=carrier.pk, action="assess", actor=actor,
                  data={"clause": "INC-2", "year": year, "rating": rating, "corrected": not created})
    after_assessment(carrier, "incubator", values["rating"], year=year, actor=actor)
    return assessment


@transaction.atomic
def centre_annual_report_record(
    *, actor, centre_id, year: int, rating: str, summary: str, submitted_on: dt.date,
) -> CentreAnnualReport:
    """IIC-13: the 主管单位's annual 考核 of the centre, reported to 市发展改革委 before year end."""
    centre = _carrier_for_update(IndustryInnovationCentre, centre_id)
    bureau = _require_assessor(actor, "annual_report", centre)
    values = {"rating": _choice(rating, Rating, "rating"), "summary": _notes(summary, "summary", required=True),
              "submitted_on": _date(submitted_on, "submitted_on"),
              "bureau": bureau, "submitted_by": actor}
    report, created = _record(CentreAnnualReport, {"centre": centre, "year": _year(year, centre)}, values)
    carrier_event(kind="centre", object_id=centre.pk, action="annual_report", actor=actor,
                  data={"clause": "IIC-13", "year": year, "rating": rating, "corrected": not created})
    return report


@transaction.atomic
def centre_evaluation_record(
    *, actor, centre_id, year: int, evaluator: str, result: str, adjustment: str, feedback: str = "",
) -> CentreEvaluation:
    """IIC-14: a third-party evaluation commissioned by 市发展改革委, fed back, and the dynamic adjustment."""
    centre = _carrier_for_update(IndustryInnovationCentre, centre_id)
    bureau = _require_assessor(actor, "evaluation", centre)
    evaluator = _notes(evaluator, "evaluator", required=True, limit=120)
    values = {"evaluator": evaluator, "result": _choice(result, Rating, "result"),
              "adjustment": _choice(adjustment, Adjustment, "adjustment"), "feedback": _notes(feedback, "feedback"),
              "bureau": bureau, "recorded_by": actor}
    evaluation, created = _record(CentreEvaluation, {"centre": centre, "year": _year(year, centre)}, values)
    after_adjustment(centre, adjustment, cause="evaluation", actor=actor, data={"clause": "IIC-14", "year": year})
    carrier_event(kind="centre", object_id=centre.pk, action="evaluation", actor=actor,
                  data={"clause": "IIC-14", "year": year, "result": result, "adjustment": adjustment, "corrected": not created})
    return evaluation


@transaction.atomic
def centre_fraud_record(
    *, actor, centre_id, verified_on: dt.date, description: str, adjustment: str, credit_platform_listed: bool = True,
) -> CentreFraudFinding:
    """IIC-15: verified fraud or violations: the centre is adjusted and the units listed on the credit platform."""
    centre = _carrier_for_update(IndustryInnovationCentre, centre_id)
    bureau = _require_assessor(actor, "fraud", centre)
    verified_on = _date(verified_on, "verified_on")
    description = _notes(description, "description", required=True)
    if _choice(adjustment, Adjustment, "adjustment") == Adjustment.RETAIN:
        raise DomainError("adjustment_required", field="adjustment")
    if not isinstance(credit_platform_listed, bool):
        raise DomainError("invalid_type", field="credit_platform_listed", expected=Message("expected_bool"))
    finding = CentreFraudFinding.objects.create(
        centre=centre, verified_on=verified_on, description=description, adjustment=adjustment,
        credit_platform_listed=credit_platform_listed, bureau=bureau, recorded_by=actor,
    )
    after_adjustment(centre, adjustment, cause="fraud", actor=actor,
                     data={"clause": "IIC-15", "verified_on": verified_on.isoformat()})
    carrier_event(kind="centre", object_id=centre.pk, action="fraud", actor=actor,
                  data={"clause": "IIC-15", "verified_on": verified_on.isoformat(), "adjustment": adjustment,
                        "credit_platform_listed": credit_platform_listed})
    return finding
