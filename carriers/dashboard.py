"""The targets dashboard: each target of PIC-3 and RIE 一（四）, with the actual figure computed from the registers.

A target names its measure (fixtures/targets.yaml explains each); MEASURES computes it for
the target's year. A year still under way shows the figure so far.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from .models import ComplexAssessment, IndustryResearchInstitute, InnovationComplex, InstituteAssessment, Target

RIE_FIRST_YEAR = 2025  # RIE was issued in July 2025: its yearly average counts from 2025


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _count_recognised(model, year: int) -> Decimal:
    """Entries in the register at the end of `year`: recognised by then, and not exited by then."""
    end = _year_end(year)
    return Decimal(model.objects.filter(recognised_on__isnull=False, recognised_on__lte=end)
                   .exclude(status="exited", status_changed_on__lte=end).count())


def _share(numerator: str, year: int) -> Decimal | None:
    sums = ComplexAssessment.objects.filter(year=year).aggregate(part=Sum(numerator), whole=Sum("revenue_yuan"))
    if not sums["whole"]:
        return None
    return (Decimal(sums["part"] or 0) * 100 / Decimal(sums["whole"])).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _cumulative(model, field: str, year: int) -> Decimal:
    return Decimal(model.objects.filter(year__lte=year).aggregate(n=Sum(field))["n"] or 0)


def _incubated_per_year(year: int) -> Decimal | None:
    yearly = (
        InstituteAssessment.objects.filter(year__gte=RIE_FIRST_YEAR, year__lte=year)
        .values("year").annotate(n=Sum("incubated_future_enterprises")).order_by("year")
    )
    totals = [row["n"] for row in yearly]
    if not totals:
        return None
    return (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"), ROUND_HALF_UP)


MEASURES = {
    "complex_count": lambda year: _count_recognised(InnovationComplex, year),
    "complex_rd_intensity": lambda year: _share("rd_spend_yuan", year),
    "complex_new_product_share": lambda year: _share("new_product_sales_yuan", year),
    "complex_key_tasks": lambda year: _cumulative(ComplexAssessment, "key_tech_tasks", year),
    "complex_needs_solved": lambda year: _cumulative(ComplexAssessment, "needs_solved", year),
    "complex_typical_cases": lambda year: _cumulative(ComplexAssessment, "typical_cases", year),
    "institute_count": lambda year: _count_recognised(IndustryResearchInstitute, year),
    "institute_incubated_per_year": _incubated_per_year,
    "institute_technical_services": lambda year: _cumulative(InstituteAssessment, "technical_services", year),
}


def _met(op: str, actual: Decimal | None, target: Decimal) -> bool | None:
    if actual is None:
        return None
    return actual > target if op == Target.Op.GT else actual >= target


def _plain(value: Decimal | None):
    """12 rather than 12.00; 2.5 rather than 2.50."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def dashboard_rows() -> list[dict]:
    """One row per target: its citation, the target, the actual figure, whether it is met and how far along (0–100)."""
    rows = []
    for t in Target.objects.order_by("position", "document", "key", "year"):
        measure = MEASURES.get(t.measure)
        actual = measure(t.year) if measure else None
        progress = None
        if actual is not None and t.value:
            progress = int(min(Decimal(100), actual * 100 / t.value).quantize(Decimal("1"), ROUND_HALF_UP))
        rows.append({
            "key": t.key, "year": t.year, "document": t.document, "article": t.article, "clause": t.clause,
            "quote": t.quote, "name_zh": t.name_zh, "name_en": t.name_en, "op": t.op, "op_sign": t.get_op_display(),
            "target": _plain(t.value), "unit": t.unit, "measure": t.measure, "actual": _plain(actual),
            "met": _met(t.op, actual, t.value), "progress": progress,
        })
    return rows


def dashboard_charts(rows: list[dict]) -> list[dict]:
    """The rows grouped into one chart per indicator (document and key), in the order of the targets."""
    charts: dict[tuple[str, str], dict] = {}
    for row in rows:
        chart = charts.setdefault((row["document"], row["key"]), {
            "key": row["key"], "document": row["document"], "article": row["article"], "clause": row["clause"],
            "name_zh": row["name_zh"], "name_en": row["name_en"], "unit": row["unit"], "rows": [],
        })
        chart["rows"].append(row)
    return list(charts.values())
