"""The one case runner fails a case for each way a rule book can answer it wrongly."""
from __future__ import annotations

import datetime as dt

import pytest

from rules.cases import Case, run_case

ENTERPRISE = {"registered_in_chongqing": True, "org_type": "enterprise", "future_industry_field": "embodied_ai"}
INTL = {**ENTERPRISE, "intl_standard_role": "lead", "intl_standard_field": "embodied_ai",  # the standard's field (issue 9)
        "intl_standard_published_on": "2026-04-01"}
AS_OF = dt.date(2026, 6, 1)


def case(**kw) -> Case:
    return Case(**{"name": "t", "clause": "FIM-4.2", "as_of": AS_OF, "facts": INTL, "expected": "eligible", **kw})


def test_a_case_answered_as_expected_passes(book):
    assert run_case(book, case(amount_yuan=book.clause("FIM-4.2").amount_yuan)) is None


@pytest.mark.parametrize("changes, got", [
    ({"expected": "not_eligible"}, "eligible"),
    ({"amount_yuan": 1}, "eligible"),
    ({"facts": ENTERPRISE, "expected": "not_eligible", "unmet": ("no_such_fact",)}, "not_eligible"),
])
def test_a_wrong_answer_fails_the_case(book, changes, got):
    failure = run_case(book, case(**changes))

    assert failure is not None and failure.got == got


def test_a_framework_clause_is_judged_by_never_being_listed(book):
    framework = next(c for c in book.clauses if not c.evaluated)

    assert run_case(book, case(clause=framework.code, expected="not_eligible")) is None


def test_a_clause_the_version_lacks_fails(book):
    assert run_case(book, case(clause="FIM-99")).detail == "the version has no such clause"
