"""Running the case library against a rule book: what must hold before a version is published."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.operators import FactError


@dataclass(frozen=True)
class Case:
    name: str
    clause: str
    as_of: dt.date
    facts: dict
    expected: str  # eligible | needs_review | not_eligible
    amount_yuan: int | None = None


@dataclass(frozen=True)
class CaseFailure:
    case: str
    clause: str
    expected: str
    got: str
    detail: str = ""


def outcome_of(result: dict, clause: str) -> tuple[str, dict | None]:
    for key in ("eligible", "needs_review"):
        for item in result[key]:
            if item["code"] == clause:
                return key, item
    return "not_eligible", None


def run_cases(book, cases: list[Case]) -> list[CaseFailure]:
    from eligibility.checking import check

    failures = []
    for case in cases:
        try:
            result = check(book, case.facts, case.as_of)
        except FactError as exc:
            failures.append(CaseFailure(case.name, case.clause, case.expected, "error", f"{exc.field}: {exc.message}"))
            continue
        got, item = outcome_of(result, case.clause)
        if got != case.expected:
            failures.append(CaseFailure(case.name, case.clause, case.expected, got))
        elif got == "eligible" and case.amount_yuan is not None and item["amount_yuan"] != case.amount_yuan:
            failures.append(CaseFailure(case.name, case.clause, case.expected, got,
                                        f"amount {item['amount_yuan']} instead of {case.amount_yuan}"))
    return failures
