"""Reads of calls: their status now (a database expression, so lists filter and sort on it), and the call
open for a clause at a moment."""
from __future__ import annotations

import datetime as dt

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Call, Material


def with_status(calls: QuerySet[Call], at: dt.datetime | None = None) -> QuerySet[Call]:
    at = at or timezone.now()
    return calls.annotate(current_status=Case(
        When(opens_at__gt=at, then=Value(Call.Status.SCHEDULED)),
        When(Q(closes_at__isnull=False) & Q(closes_at__lte=at), then=Value(Call.Status.CLOSED)),
        default=Value(Call.Status.OPEN)))


def call_list(*, status: str | None = None, clause: str | None = None, q: str | None = None,
              at: dt.datetime | None = None) -> QuerySet[Call]:
    calls = with_status(Call.objects.all(), at).prefetch_related(
        "clauses", Prefetch("materials", queryset=Material.objects.order_by("position", "pk")))
    if status:
        calls = calls.filter(current_status=status)
    if clause:
        calls = calls.filter(clauses__code=clause)
    if q:
        calls = calls.filter(Q(title_zh__icontains=q) | Q(title_en__icontains=q))
    return calls.order_by("-opens_at", "-pk").distinct()


def call_get(pk: int) -> Call | None:
    return call_list().filter(pk=pk).first()


def open_call(clause_code: str, at: dt.datetime | None = None) -> Call | None:
    """The call under which an application for `clause_code` can be submitted at `at` (closing latest first)."""
    at = at or timezone.now()
    return (with_status(Call.objects.filter(clauses__code=clause_code), at).filter(current_status=Call.Status.OPEN)
            .order_by("closes_at").prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("position")))
            .first())


def next_call(clause_code: str, at: dt.datetime | None = None) -> Call | None:
    at = at or timezone.now()
    return Call.objects.filter(clauses__code=clause_code, opens_at__gt=at).order_by("opens_at").first()


def calls_by_clause(codes: list[str], at: dt.datetime | None = None) -> dict[str, dict]:
    """For each clause code: its open call (and closing time) or the next one, for the check's result page."""
    at = at or timezone.now()
    out: dict[str, dict] = {}
    rows = (with_status(Call.objects.filter(clauses__code__in=codes), at)
            .exclude(current_status=Call.Status.CLOSED).prefetch_related("clauses").order_by("opens_at"))
    for call in rows:
        for clause in call.clauses.all():
            if clause.code not in codes:
                continue
            entry = out.setdefault(clause.code, {"open": None, "next": None})
            if call.current_status == Call.Status.OPEN and entry["open"] is None:
                entry["open"] = call
            elif call.current_status == Call.Status.SCHEDULED and entry["next"] is None:
                entry["next"] = call
    return out


def last_closed_call(clause_code: str, at: dt.datetime | None = None) -> Call | None:
    at = at or timezone.now()
    return (Call.objects.filter(clauses__code=clause_code, closes_at__isnull=False, closes_at__lte=at)
            .order_by("-closes_at").first())


def has_calls(clause_code: str) -> bool:
    return Call.objects.filter(clauses__code=clause_code).exists()


class Window:
    """Whether an application under a clause can be submitted at a moment, and why (not).

    A clause is rolling (常年受理) when an opened call without a closing time covers it, or when no call has
    ever been declared for it (how the portal took applications before calls existed; declaring the first
    call for a clause ends that). Otherwise it takes applications only inside an open call's window.
    The same rule is enforced by PostgreSQL at commit time (subsidies migration 0010).
    """

    def __init__(self, *, call: Call | None, rolling: bool, upcoming: Call | None = None, closed: Call | None = None):
        self.call, self.rolling, self.upcoming, self.closed = call, rolling, upcoming, closed

    @property
    def open(self) -> bool:
        return self.call is not None or self.rolling


def submission_window(clause_code: str, at: dt.datetime | None = None) -> Window:
    at = at or timezone.now()
    call = open_call(clause_code, at)
    if call is not None:
        return Window(call=call, rolling=call.closes_at is None)
    if not has_calls(clause_code):
        return Window(call=None, rolling=True)
    return Window(call=None, rolling=False, upcoming=next_call(clause_code, at), closed=last_closed_call(clause_code, at))


def windows_by_clause(codes: list[str], at: dt.datetime | None = None) -> dict[str, Window]:
    """For each clause code: its open call (and closing time), or the next one, or rolling; three queries in all."""
    at = at or timezone.now()
    found = calls_by_clause(codes, at)
    declared = set(Call.clauses.through.objects.filter(clause__code__in=codes)
                   .values_list("clause__code", flat=True).distinct())
    out = {}
    for code in codes:
        entry = found.get(code, {"open": None, "next": None})
        call = entry["open"]
        out[code] = Window(call=call, rolling=(call is not None and call.closes_at is None) or code not in declared,
                           upcoming=entry["next"])
    return out
