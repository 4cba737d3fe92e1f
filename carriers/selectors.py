"""Reads on the registers: public lists and entries, who may assess what, IIC score sheets and the ranking."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, role_of
from catalogue.models import Bureau
from rules.models import ClauseRule
from rules.selectors import current_version
from subsidies.models import Application
from subsidies.models.applications import Status

from .models import (
    CentreAnnualReport,
    CentreChange,
    CentreEvaluation,
    CentreFraudFinding,
    ComplexAssessment,
    ComplexMember,
    IICIndicator,
    IICScoreSheet,
    IncubationCarrier,
    IncubatorAssessment,
    IndustryInnovationCentre,
    IndustryResearchInstitute,
    InnovationComplex,
    InstituteAssessment,
)
from .scoring import IndicatorTable, rank


@dataclass(frozen=True)
class Register:
    slug: str  # URL segment: institutes, complexes, incubators, centres
    kind: str  # event kind: institute, complex, incubator, centre
    document: str  # RIE, PIC, INC, IIC
    model: type
    sub_field: str  # the field that sorts entries into the document's kinds (mode, kind, kind, —)
    assessment_clause: str  # RIE-2, PIC-4, INC-2, IIC-13
    recognition_clauses: tuple[str, ...]


REGISTERS: dict[str, Register] = {
    r.slug: r
    for r in (
        Register("institutes", "institute", "RIE", IndustryResearchInstitute, "mode", "RIE-2", ("RIE-1",)),
        Register("complexes", "complex", "PIC", InnovationComplex, "kind", "PIC-4", ("PIC-1", "PIC-2")),
        Register("incubators", "incubator", "INC", IncubationCarrier, "kind", "INC-2", ("INC-1",)),
        Register("centres", "centre", "IIC", IndustryInnovationCentre, "", "IIC-13", ("IIC-12",)),
    )
}
BY_KIND = {r.kind: r for r in REGISTERS.values()}
RECOGNITION_CLAUSES = {code: r for r in REGISTERS.values() for code in r.recognition_clauses}
OPEN_STATUSES = (Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW)


def _assessments_prefetch(register: Register) -> list:
    if register.kind == "institute":
        return [Prefetch("assessments", queryset=InstituteAssessment.objects.order_by("-year"))]
    if register.kind == "complex":
        return [Prefetch("assessments", queryset=ComplexAssessment.objects.order_by("-year")),
                Prefetch("members", queryset=ComplexMember.objects.order_by("pk"))]
    if register.kind == "incubator":
        return [Prefetch("assessments", queryset=IncubatorAssessment.objects.order_by("-year"))]
    return [
        Prefetch("annual_reports", queryset=CentreAnnualReport.objects.order_by("-year")),
        Prefetch("evaluations", queryset=CentreEvaluation.objects.order_by("-year")),
        Prefetch("fraud_findings", queryset=CentreFraudFinding.objects.order_by("-verified_on", "-pk")),
    ]


def register_entries(register: Register, *, q: str | None = None, sub: str | None = None) -> QuerySet:
    """A public register: recognised entries, searchable by name, district, field or lead unit; newest first."""
    qs = register.model.objects.filter(recognised_on__isnull=False)
    if register.kind == "centre":
        qs = qs.select_related("supervising_bureau")
    if q:
        match = Q(name__icontains=q) | Q(district__icontains=q) | Q(future_industry_field__icontains=q)
        if register.kind in ("complex", "centre"):
            match |= Q(lead_unit__icontains=q)
        qs = qs.filter(match)
    if sub and register.sub_field:
        qs = qs.filter(**{register.sub_field: sub})
    return qs.prefetch_related(*_assessments_prefetch(register)).order_by("-recognised_on", "name")


def register_entry(register: Register, pk: int):
    qs = register.model.objects.filter(recognised_on__isnull=False, pk=pk)
    if register.kind == "centre":
        qs = qs.select_related("supervising_bureau")
    return qs.prefetch_related(*_assessments_prefetch(register)).first()


# The model holding each register's yearly assessment, and its link to the carrier.
ASSESSMENT_MODELS = {
    "institutes": ("InstituteAssessment", "institute"),
    "complexes": ("ComplexAssessment", "complex"),
    "incubators": ("IncubatorAssessment", "carrier"),
    "centres": ("CentreEvaluation", "centre"),
}


def register_overview(year: int) -> list[dict]:
    """Every register on the dashboard, targets or not: recognised entries, and how many were assessed in `year`."""
    from django.apps import apps

    rows = []
    for slug, register in REGISTERS.items():
        model_name, link = ASSESSMENT_MODELS[slug]
        assessments = apps.get_model("carriers", model_name).objects.filter(year=year)
        rows.append({
            "slug": slug,
            "document": register.document,
            "assessment_clause": register.assessment_clause,
            "recognised": register.model.objects.filter(recognised_on__isnull=False).count(),
            "assessed": assessments.values(link).distinct().count(),
            "year": year,
        })
    return rows


def register_counts() -> dict[str, int]:
    return {slug: r.model.objects.filter(recognised_on__isnull=False).count() for slug, r in REGISTERS.items()}


# ---------------------------------------------------------------- who may assess


def clause_bureau_ids(clause_code: str) -> set[int]:
    """The responsible bureaus of a clause in the current rule version (data, not code)."""
    rule = ClauseRule.objects.filter(version=current_version(), clause__code=clause_code).prefetch_related("bureaus").first()
    return {b.pk for b in rule.bureaus.all()} if rule else set()


# What an officer enters, by the clause that requires it.
ASSESSMENT_CLAUSES = {
    "institute": "RIE-2",
    "complex": "PIC-4",
    "incubator": "INC-2",
    "annual_report": "IIC-13",
    "evaluation": "IIC-14",
    "fraud": "IIC-15",
}


def assessing_bureau_ids(what: str, carrier=None) -> set[int]:
    """Bureaus whose officers may enter `what`; IIC-13 is also the centre's own 主管单位's (第十三条)."""
    ids = clause_bureau_ids(ASSESSMENT_CLAUSES[what])
    if what == "annual_report" and carrier is not None and carrier.supervising_bureau_id:
        ids.add(carrier.supervising_bureau_id)
    return ids


def status_authority(register: Register) -> str:
    """Whose officers move an entry's status: those who assess it (RIE-2, PIC-4, INC-2), for centres those who
    commission the evaluation and adjust (IIC-14, 市发展改革委)."""
    return "evaluation" if register.kind == "centre" else register.kind


def status_history(register: Register, carrier) -> list:
    """The events that moved the entry's status, oldest first."""
    from .models import CarrierEvent

    return list(CarrierEvent.objects.filter(kind=register.kind, object_id=carrier.pk, action="status")
                .select_related("bureau").order_by("created_at", "pk"))


def assessments_allowed(user, register: Register, carrier) -> list[str]:
    """What the user may enter for this carrier: some of institute/complex/incubator, annual_report, evaluation, fraud."""
    bureau = bureau_of(user)
    if bureau is None:
        return []
    kinds = [register.kind] if register.kind != "centre" else ["annual_report", "evaluation", "fraud"]
    return [what for what in kinds if bureau.pk in assessing_bureau_ids(what, carrier)]


# ---------------------------------------------------------------- IIC: indicators, score sheets, ranking


def indicator_table() -> IndicatorTable:
    return IndicatorTable.from_rows(IICIndicator.objects.all())


def iic_applications_for(user) -> QuerySet:
    """IIC-12 applications an officer may score: those with the officer's bureau as 主管单位 or as the deciding bureau."""
    bureau = bureau_of(user)
    if bureau is None:
        return Application.objects.none()
    return (
        Application.objects.filter(clause__code="IIC-12")
        .filter(Q(district_bureau=bureau) | Q(bureau=bureau))
        .exclude(status__in=(Status.DRAFT, Status.WITHDRAWN))
        .select_related("organisation", "bureau", "district_bureau", "clause")
        .prefetch_related(Prefetch("iic_score_sheets", queryset=IICScoreSheet.objects.select_related("bureau", "scored_by")
                                   .order_by("-updated_at")))
        .order_by("-submitted_at", "-pk")
    )


def may_score(user, app: Application) -> bool:
    bureau = bureau_of(user)
    return (
        bureau is not None and app.clause.code == "IIC-12" and app.status in OPEN_STATUSES
        and bureau.pk in (app.district_bureau_id, app.bureau_id)
    )


def centre_name(app: Application) -> str:
    return str(app.facts.get("iic_proposed_name") or app.organisation.name)


def iic_ranking(user) -> list[dict]:
    """Scored IIC-12 applications the officer may see, ranked by total (ties by name); each with its latest sheet."""
    entries = []
    for app in iic_applications_for(user):
        latest = next(iter(app.iic_score_sheets.all()), None)
        if latest is not None:
            entries.append({"name": centre_name(app), "application": app, "sheet": latest, "total": latest.total})
    ranked = rank(entries, name=lambda e: (e["name"], e["application"].pk), total=lambda e: e["total"])
    return [{**entry, "position": position} for position, entry in ranked]


def bureau_by_name(short_name: str) -> Bureau | None:
    return Bureau.objects.filter(short_name_zh=short_name).first()


# ---------------------------------------------------------------- IIC-16 change reports


def centre_changes_for(user, *, centre_id: int | None = None) -> QuerySet:
    """The change reports `user` may see: a centre's own (its lead organisation), its 主管单位's, and all of them for
    IIC-16's bureau (市发展改革委) and administrators; oldest due first."""
    qs = CentreChange.objects.select_related("centre", "centre__supervising_bureau")
    role = role_of(user)
    if role == Role.ADMIN:
        pass
    elif role == Role.APPLICANT:
        organisation = organisation_of(user)
        qs = qs.filter(centre__organisation=organisation) if organisation else qs.none()
    elif role == Role.OFFICER:
        bureau = bureau_of(user)
        if bureau is None:
            qs = qs.none()
        elif bureau.pk not in clause_bureau_ids("IIC-16"):
            qs = qs.filter(centre__supervising_bureau=bureau)
    else:
        qs = qs.none()
    if centre_id is not None:
        qs = qs.filter(centre_id=centre_id)
    return qs.order_by("reported_on", "due_on", "pk")


def centres_declarable_by(user) -> QuerySet:
    """The recognised centres whose changes `user` may declare: the centre's own, or its 主管单位's."""
    organisation, bureau = organisation_of(user), bureau_of(user)
    match = Q(pk__in=[])
    if organisation is not None:
        match |= Q(organisation=organisation)
    if bureau is not None:
        match |= Q(supervising_bureau=bureau)
    return IndustryInnovationCentre.objects.filter(match, recognised_on__isnull=False).order_by("name")
