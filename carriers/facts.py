"""Engine facts from the registers: what the registers and their assessments say about an organisation.

The facts use the vocabulary of fixtures/facts.yaml, so they go straight into
`rules.check.check`: an assessment recorded here is what FIM-2.5 (complex_assessment),
FIM-5.2 (incubator_evaluation) and FIM-5.3 (miit_incubator_grade) read.
"""
from __future__ import annotations

from .models import (
    PIC_GOVERNANCE,
    IncubationCarrier,
    IndustryInnovationCentre,
    IndustryResearchInstitute,
    InnovationComplex,
)

NOT_ASSESSED = "none"


def _latest(carrier, relation: str = "assessments"):
    return getattr(carrier, relation).order_by("-year").first()


def _percent(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def institute_facts(institute: IndustryResearchInstitute) -> dict:
    """RIE-1 / RIE-2 / FIM-5.1: mode, functions, the latest evaluation's rating (RIE: 评估结果作为政策支持的重要依据)
    and incubated enterprises."""
    facts = {"rie_mode": institute.mode, "rie_functions": sorted(institute.functions or [])}
    latest = _latest(institute)
    facts["rie_evaluation"] = latest.rating if latest else NOT_ASSESSED
    if latest is not None:
        facts["incubated_future_enterprises"] = latest.incubated_future_enterprises
    return facts


def complex_facts(complex_: InnovationComplex) -> dict:
    """PIC-1/2/4, FIM-2.4/2.5: the complex the organisation leads and its latest PIC-4 rating."""
    have = {
        "council": complex_.has_council, "expert_committee": complex_.has_expert_committee,
        "secretariat": complex_.has_secretariat, "binding_charter": complex_.charter_signed_on is not None,
    }
    latest = _latest(complex_)
    facts = {
        "leads_innovation_complex": True,
        "complex_kind": complex_.kind,
        "complex_field": complex_.future_industry_field or "none",
        "complex_governance": [g for g in PIC_GOVERNANCE if have[g]],
        "complex_operating_as_entity": complex_.operating_as_entity,
        "complex_assessment": latest.rating if latest else NOT_ASSESSED,
    }
    if complex_.formed_on:
        facts["complex_formed_on"] = complex_.formed_on.isoformat()
    return facts


def incubator_facts(carrier: IncubationCarrier) -> dict:
    """INC-1/2, FIM-5.2/5.3: kind, level, MIIT grade and the latest INC-2 evaluation."""
    latest = _latest(carrier)
    facts = {
        "carrier_kind": carrier.kind,
        "incubator_level": carrier.level,
        "miit_incubator_grade": carrier.miit_grade,
        "incubator_evaluation": latest.rating if latest else NOT_ASSESSED,
    }
    if latest is not None:
        facts.update({
            "conversion_rate": _percent(latest.conversion_rate),
            "survival_rate": _percent(latest.survival_rate),
            "incubated_valuation_yuan": latest.incubated_valuation_yuan,
        })
    return facts


def centre_facts(centre: IndustryInnovationCentre) -> dict:
    """IIC-10…16: the centre the organisation leads, whether it is still recognised, fraud, pending major changes."""
    pending = centre.changes.filter(reported_on__isnull=True).order_by("-registered_on").first()
    return {
        "iic_lead_unit": True,
        "iic_proposed_name": centre.name,
        "iic_has_leading_talent": centre.has_leading_talent,
        "iic_has_rd_facilities": centre.has_rd_facilities,
        "iic_functions": sorted(centre.functions or []),
        "iic_mechanisms": sorted(centre.mechanisms or []),
        "iic_recognised": centre.in_register,
        "iic_fraud_verified": centre.fraud_findings.exists(),
        "iic_major_change": pending.kind if pending else "none",
    }


FACTS_BY_MODEL = (
    (IndustryResearchInstitute, institute_facts),
    (InnovationComplex, complex_facts),
    (IncubationCarrier, incubator_facts),
    (IndustryInnovationCentre, centre_facts),
)


def facts_from_register(organisation) -> dict:
    """The facts the registers hold for an organisation: its most recently recognised carrier of each kind.

    With the organisation's own facts (registered in Chongqing, its type), ready for the checker.
    """
    facts = {"registered_in_chongqing": bool(organisation.district), "org_type": organisation.org_type}
    for model, build in FACTS_BY_MODEL:
        entries = model.objects.filter(organisation=organisation, recognised_on__isnull=False)
        if model is not IndustryInnovationCentre:  # an exited entry gives no facts; a centre's says iic_recognised: false
            entries = entries.exclude(status="exited")
        carrier = entries.order_by("-recognised_on", "-pk").first()
        if carrier is not None:
            facts.update(build(carrier))
    return facts
