"""The case library: one case schema and one runner, used by the tests and by the publish gate.

A case is {name, clause, as_of, facts, expected: eligible | needs_review | not_eligible, amount_yuan?,
unmet?}. `amount_yuan` is checked when the clause is eligible; `unmet` lists fact codes that must be
among the clause's near-miss unmet conditions. A framework clause must never be listed at all. The
cases live in fixtures/cases/*.yaml and, once loaded, in GoldenCase rows that administrators edit;
`golden_cases()` reads those rows, `run_case`/`run_cases` judge a RuleBook against them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from policy_portal.exceptions import DomainError

from .check import check
from .messages import case_failure_message
from .models import GoldenCase, RuleVersion
from .operators import FactError
from .rulebook import RuleBook

OUTCOMES = ("eligible", "needs_review", "not_eligible")
CASE_KEYS = {"name", "clause", "as_of", "facts", "expected", "amount_yuan", "unmet"}
LISTS = ("eligible", "needs_review", "near_misses", "superseded")


@dataclass(frozen=True)
class Case:
    name: str
    clause: str
    as_of: dt.date
    facts: dict
    expected: str  # eligible | needs_review | not_eligible
    amount_yuan: int | None = None
    unmet: tuple[str, ...] = field(default=())

    @classmethod
    def from_row(cls, row: dict) -> Case:
        as_of = row["as_of"] if isinstance(row["as_of"], dt.date) else dt.date.fromisoformat(str(row["as_of"]))
        return cls(row["name"], row["clause"], as_of, row["facts"], row["expected"], row.get("amount_yuan"),
                   tuple(row.get("unmet") or ()))


@dataclass(frozen=True)
class CaseFailure:
    case: str
    clause: str
    expected: str
    got: str
    detail: str = ""
    expected_yuan: int | None = None
    got_yuan: int | None = None
    missing_unmet: tuple[str, ...] = ()

    def __str__(self):
        return f"{self.case} ({self.clause}: expected {self.expected}, got {self.got}{' — ' + self.detail if self.detail else ''})"


class CasesFailed(DomainError):
    """Publishing refused (golden_cases_failed): the refusal names the first failures by clause and outcome;
    `failures` keeps every CaseFailure, names included, for the page to list."""

    SHOWN = 5

    def __init__(self, failures: list[CaseFailure], field: str = "version"):
        super().__init__("golden_cases_failed", field=field, count=len(failures),
                         cases=[case_failure_message(f) for f in failures[: self.SHOWN]])
        self.failures = failures


def outcome_of(result: dict, clause: str) -> tuple[str, dict | None]:
    for key in ("eligible", "needs_review"):
        for item in result[key]:
            if item["code"] == clause:
                return key, item
    return "not_eligible", None


def run_case(book: RuleBook, case: Case) -> CaseFailure | None:
    """How `book` answers `case`, or None when it answers as the case expects."""
    try:
        spec = book.clause(case.clause)
    except KeyError:
        return CaseFailure(case.name, case.clause, case.expected, "error", "the version has no such clause")
    try:
        result = check(book, case.facts, case.as_of)
    except FactError as exc:
        return CaseFailure(case.name, case.clause, case.expected, "error", f"{exc.field}: {exc.detail}")
    if not spec.evaluated:
        listed = [name for name in LISTS if any(item["code"] == spec.code for item in result[name])]
        return CaseFailure(case.name, case.clause, "never listed", ", ".join(listed)) if listed else None
    got, item = outcome_of(result, case.clause)
    if got != case.expected:
        return CaseFailure(case.name, case.clause, case.expected, got)
    if got == "eligible" and case.amount_yuan is not None:
        if (item["amount_yuan"], item["amount_kind"]) != (case.amount_yuan, spec.amount_kind):
            return CaseFailure(case.name, case.clause, case.expected, got,
                               f"amount {item['amount_yuan']} instead of {case.amount_yuan}",
                               expected_yuan=case.amount_yuan, got_yuan=item["amount_yuan"])
    if case.unmet:
        near = next((n for n in result["near_misses"] if n["code"] == case.clause), None)
        if near is None:
            return CaseFailure(case.name, case.clause, case.expected, got, "not a near miss",
                               missing_unmet=tuple(case.unmet))
        missing = set(case.unmet) - {u["fact"] for u in near["unmet"]}
        if missing:
            return CaseFailure(case.name, case.clause, case.expected, got,
                               f"unmet conditions lack {', '.join(sorted(missing))}", missing_unmet=tuple(sorted(missing)))
    return None


def answer_to(book: RuleBook, case: Case) -> Case | None:
    """`case` with what `book` answers in place of what it expects (outcome, amount, the unmet facts it still
    names), or None when the book cannot answer it (no such clause, facts it refuses, a framework clause)."""
    try:
        spec = book.clause(case.clause)
        result = check(book, case.facts, case.as_of)
    except (KeyError, FactError):
        return None
    if not spec.evaluated:
        return None
    got, item = outcome_of(result, case.clause)
    amount = item["amount_yuan"] if got == "eligible" and case.amount_yuan is not None else None
    near = next((n for n in result["near_misses"] if n["code"] == case.clause), None)
    unmet = tuple(f for f in case.unmet if near is not None and f in {u["fact"] for u in near["unmet"]})
    return Case(case.name, case.clause, case.as_of, case.facts, got, amount, unmet)


def with_changes(cases: list[Case], changes: dict[str, dict]) -> list[Case]:
    """The library as it will be once a draft's case changes (name → {expected, amount_yuan, unmet}) apply."""
    out = []
    for case in cases:
        change = changes.get(case.name)
        if change is not None:
            case = Case(case.name, case.clause, case.as_of, case.facts, change["expected"], change.get("amount_yuan"),
                        tuple(change.get("unmet") or ()))
        out.append(case)
    return out


def run_cases(book: RuleBook, cases: list[Case]) -> list[CaseFailure]:
    return [failure for case in cases if (failure := run_case(book, case)) is not None]


def golden_cases() -> list[Case]:
    """The library as administrators keep it (loaded from fixtures/cases, then edited), by name."""
    return [
        Case(c.name, c.clause.code, c.as_of, c.facts, c.expected, c.amount_yuan, tuple(c.unmet or ()))
        for c in GoldenCase.objects.select_related("clause").order_by("name")
    ]


def case_changes(version: RuleVersion) -> dict[str, dict]:
    """The case changes a draft carries: case name → {expected, amount_yuan, unmet, before}."""
    return {c.case.name: {"expected": c.expected, "amount_yuan": c.amount_yuan, "unmet": list(c.unmet or ()),
                          "before": c.before, "clause": c.case.clause.code, "pk": c.case_id}
            for c in version.case_changes.select_related("case__clause").order_by("case__name")}


def library_for(version: RuleVersion) -> list[Case]:
    """The case library as it will be once `version` is published (its own case changes applied)."""
    return with_changes(golden_cases(), case_changes(version))
