"""Statistics for the bureaus: applications, approvals, amounts approved and paid, grouped by clause, bureau,
district or month, with filters. Two aggregate queries (applications; paid instalments), merged by group key.

The queries read indexed columns only (subsidies_application (submitted_at), (bureau, status), the clause and
the organisation's district through their keys; payments_instalment (status, paid_on)) and never load rows;
bench/bench_statistics.py times them at 100k applications.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from policy_portal.exceptions import DomainError
from subsidies.models import Application
from subsidies.models.applications import Status

from .models import Instalment

GROUPS = {
    "clause": ("clause__code", "application__clause__code"),
    "bureau": ("bureau__short_name_zh", "application__bureau__short_name_zh"),
    "district": ("organisation__district", "application__organisation__district"),
    "month": ("month", "month"),
}
PAID = (Instalment.Status.PAID, Instalment.Status.CONFIRMED)


@dataclass
class Row:
    key: str
    count_applications: int = 0
    count_approved: int = 0
    amount_approved_yuan: int = 0
    amount_paid_yuan: int = 0


def statistics(*, group_by: str = "clause", year: int | None = None, measure: int | None = None,
               district: str | None = None, status: str | None = None) -> list[Row]:
    """One row per group, sorted by key; applications count from their submission (drafts are not counted),
    by month of submission; approvals by the approved status; payments by the month they were paid."""
    if group_by not in GROUPS:
        raise DomainError("invalid_group_by", field="group_by", choices=", ".join(GROUPS))
    app_key, paid_key = GROUPS[group_by]
    apps = Application.objects.filter(submitted_at__isnull=False)
    paid = Instalment.objects.filter(status__in=PAID)
    if year:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        zone = timezone.get_current_timezone()  # a range on the column itself: no per-row time-zone conversion
        apps = apps.filter(submitted_at__gte=dt.datetime(year, 1, 1, tzinfo=zone),
                           submitted_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=zone))
        paid = paid.filter(paid_on__gte=start, paid_on__lt=end)
    if measure:
        apps = apps.filter(clause__measure__number=measure, clause__measure__document__code="FIM")
        paid = paid.filter(order__application__clause__measure__number=measure,
                           order__application__clause__measure__document__code="FIM")
    if district:
        apps = apps.filter(organisation__district=district)
        paid = paid.filter(order__application__organisation__district=district)
    if status:
        apps = apps.filter(status=status)
        paid = paid.filter(order__application__status=status)
    if group_by == "month":
        apps = apps.annotate(month=TruncMonth("submitted_at"))
        paid = paid.annotate(month=TruncMonth("paid_on"))
    else:
        paid_key = paid_key.replace("application__", "order__application__")
    approved = Q(status=Status.APPROVED)
    rows: dict[str, Row] = {}
    for r in apps.values(app_key).annotate(n=Count("pk"), approved=Count("pk", filter=approved),
                                           amount=Sum("amount_approved_yuan", filter=approved)).order_by():
        key = _key(r[app_key])
        rows[key] = Row(key, r["n"], r["approved"], r["amount"] or 0)
    for r in paid.values(paid_key).annotate(amount=Sum("amount_yuan")).order_by():
        key = _key(r[paid_key])
        rows.setdefault(key, Row(key)).amount_paid_yuan += r["amount"] or 0
    return [rows[k] for k in sorted(rows)]


def _key(value) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return value or "—"


def totals(rows: list[Row]) -> Row:
    return Row("total", sum(r.count_applications for r in rows), sum(r.count_approved for r in rows),
               sum(r.amount_approved_yuan for r in rows), sum(r.amount_paid_yuan for r in rows))
