"""rules.static_checks: conditions that can never hold, one achievement paid twice, unused facts, missing cases."""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest

from rules.cases import Case, golden_cases
from rules.operators import FactSpec, FactType, Operator, date_to_days
from rules.rulebook import RuleBook
from rules.selectors import build_rulebook, clause_edit_args
from rules.services import clause_rule_edit, ruleset_draft_create
from rules.static_checks import Finding, static_checks
from tests.factories import UserFactory
from tests.rules.test_golden_cases import load_cases
from tests.unit.synthetic import clause, cond

TODAY = dt.date(2026, 6, 1)
START, END = date_to_days(dt.date(2026, 1, 1)), date_to_days(dt.date(2028, 1, 1))
VOCABULARY = {
    spec.code: spec
    for spec in [
        FactSpec("org_type", FactType.ENUM, choices=("enterprise", "university", "individual")),
        FactSpec("flag", FactType.BOOL),
        FactSpec("count", FactType.INT),
        FactSpec("share", FactType.RATIO),
        FactSpec("revenue", FactType.MONEY),
        FactSpec("recognised_on", FactType.DATE),
        FactSpec("name", FactType.TEXT),
        FactSpec("features", FactType.MULTI, choices=("a", "b", "c")),
    ]
}
ENTERPRISE = cond("org_type", Operator.EQ, "enterprise")


def day(iso: str) -> int:
    return date_to_days(dt.date.fromisoformat(iso))


def book_of(*clauses, vocabulary=None) -> RuleBook:
    return RuleBook(version=0, clauses=tuple(clauses), vocabulary=vocabulary or VOCABULARY, checksum=uuid.uuid4().hex)


def one_clause(*conds, groups=None, **extra) -> RuleBook:
    """S-1 requiring each condition (AND), in the window 2026-01-01 to 2027-12-31 unless told otherwise."""
    extra = {"start": START, "end": END, **extra}
    return book_of(clause("S-1", groups if groups is not None else [[c] for c in conds], **extra))


def errors(findings: list[Finding]) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.clause, f.fact) for f in findings if f.severity == "error"]


# ---------------------------------------------------------------- the shipped rules


def yaml_cases() -> list[Case]:
    return [Case(c["name"], c["clause"], c["as_of"], c["facts"], c["expected"], c.get("amount_yuan")) for c in load_cases()]


def test_the_shipped_rules_have_no_error_findings(book):
    findings = static_checks(book, cases=yaml_cases(), today=TODAY)

    for f in findings:
        print(f"{f.severity:7} {f.code:24} {f.clause or '-':9} {f.fact or '-':34} {f.message_en}")
    assert [f for f in findings if f.severity == "error"] == []
    assert not any(f.code == "missing_golden_cases" for f in findings)


def test_every_shipped_clause_is_reported_when_the_stored_case_library_lacks_its_cases(book):
    stored = golden_cases()

    findings = static_checks(book, cases=stored, today=TODAY)

    flagged = {f.clause for f in findings if f.code == "missing_golden_cases"}
    covered = {c.clause for c in stored}
    assert flagged == {c.code for c in book.evaluated_clauses} - covered
    assert all(f.severity == "warning" for f in findings if f.code == "missing_golden_cases")


def test_a_draft_edited_to_require_two_organisation_types_is_reported(db):
    admin = UserFactory()
    draft = ruleset_draft_create(actor=admin)
    args = clause_edit_args(draft, "FIM-6.1")
    args["conditions"].append([{"fact": "org_type", "operator": "eq", "value": "university",
                                "message_zh": "申请主体为高等学校", "message_en": "The applicant is a university"}])
    clause_rule_edit(actor=admin, version=draft, clause_code="FIM-6.1", **args)

    findings = static_checks(build_rulebook(draft), today=TODAY)

    assert errors(findings) == [("contradictory_conditions", "FIM-6.1", "org_type")]


# ---------------------------------------------------------------- conditions that can never hold together


@pytest.mark.parametrize(
    "conds, code, fact",
    [
        ([ENTERPRISE, cond("org_type", Operator.EQ, "university")], "contradictory_conditions", "org_type"),
        ([ENTERPRISE, cond("org_type", Operator.NEQ, "enterprise")], "contradictory_conditions", "org_type"),
        ([ENTERPRISE, cond("org_type", Operator.NOT_IN, ["individual", "enterprise"])], "contradictory_conditions",
         "org_type"),
        ([cond("org_type", Operator.IN, ["enterprise", "university"]), cond("org_type", Operator.IN, ["individual"])],
         "contradictory_conditions", "org_type"),
        ([cond("flag", Operator.EQ, True), cond("flag", Operator.NEQ, True)], "contradictory_conditions", "flag"),
        ([cond("count", Operator.GTE, 10), cond("count", Operator.LT, 5)], "contradictory_conditions", "count"),
        ([cond("count", Operator.GT, 5), cond("count", Operator.LTE, 5)], "contradictory_conditions", "count"),
        ([cond("share", Operator.GT, 5000), cond("share", Operator.LT, 5001)], "contradictory_conditions", "share"),
        ([cond("recognised_on", Operator.GTE, day("2026-06-01")), cond("recognised_on", Operator.LT, day("2026-01-01"))],
         "contradictory_conditions", "recognised_on"),
        ([cond("count", Operator.EQ, 3), cond("count", Operator.GTE, 5)], "contradictory_conditions", "count"),
        ([cond("revenue", Operator.EQ, 100), cond("revenue", Operator.LT, 100)], "contradictory_conditions", "revenue"),
        ([cond("count", Operator.GTE, 1), cond("count", Operator.LTE, 2), cond("count", Operator.NEQ, 1),
          cond("count", Operator.NEQ, 2)], "contradictory_conditions", "count"),
        ([cond("recognised_on", Operator.IN_WINDOW), cond("recognised_on", Operator.LT, START)],
         "contradictory_conditions", "recognised_on"),
        ([cond("recognised_on", Operator.IN_WINDOW), cond("recognised_on", Operator.GTE, END)],
         "contradictory_conditions", "recognised_on"),
        ([cond("name", Operator.EQ, "重庆市产业创新中心"), cond("name", Operator.LIKE, "重庆市*产业创新中心")],
         "contradictory_conditions", "name"),
        ([cond("revenue", Operator.LT, 0)], "impossible_condition", "revenue"),
        ([cond("share", Operator.GT, 10000)], "impossible_condition", "share"),
        ([cond("org_type", Operator.NOT_IN, ["enterprise", "university", "individual"])], "impossible_condition",
         "org_type"),
    ],
    ids=["eq-eq", "eq-neq", "eq-not_in", "in-in", "bool", "gte-lt", "gt-lte", "ratio", "dates", "eq-outside-range",
         "money-eq-lt", "range-all-excluded", "in_window-before-start", "in_window-after-end", "eq-like",
         "money-below-zero", "ratio-above-100", "not_in-every-choice"],
)
def test_conditions_that_can_never_hold_together_are_errors_naming_clause_and_fact(conds, code, fact):
    book = one_clause(cond("flag", Operator.EXISTS), *conds)

    findings = static_checks(book)

    assert errors(findings) == [(code, "S-1", fact)]


def test_the_finding_quotes_the_two_conditions_that_contradict():
    book = one_clause(ENTERPRISE, cond("count", Operator.GTE, 1), cond("org_type", Operator.EQ, "university"))

    [finding] = [f for f in static_checks(book) if f.severity == "error"]

    assert "org_type eq enterprise" in finding.message_en and "org_type eq university" in finding.message_en
    assert "org_type" in finding.message_zh and finding.message_zh != finding.message_en


def test_alternatives_none_of_which_can_hold_with_the_required_conditions_are_an_error():
    book = one_clause(groups=[[ENTERPRISE],
                              [cond("org_type", Operator.EQ, "university"), cond("org_type", Operator.EQ, "individual")]])

    assert errors(static_checks(book)) == [("contradictory_conditions", "S-1", "org_type")]


@pytest.mark.parametrize(
    "groups",
    [
        [[ENTERPRISE], [cond("org_type", Operator.NEQ, "university")]],
        [[cond("org_type", Operator.IN, ["enterprise", "university"])], [cond("org_type", Operator.NOT_IN, ["university"])]],
        [[cond("count", Operator.GTE, 5)], [cond("count", Operator.LTE, 5)]],
        [[cond("count", Operator.GTE, 1)], [cond("count", Operator.LTE, 3)], [cond("count", Operator.NEQ, 1)],
         [cond("count", Operator.NEQ, 2)]],
        [[cond("flag", Operator.EQ, True)], [cond("flag", Operator.REVIEW)]],
        [[cond("recognised_on", Operator.IN_WINDOW)], [cond("recognised_on", Operator.GTE, day("2027-12-31"))]],
        [[cond("features", Operator.CONTAINS, "a")], [cond("features", Operator.CONTAINS_ALL, ["b", "c"])]],
        [[cond("name", Operator.LIKE, "重庆市*产业创新中心")], [cond("name", Operator.NEQ, "重庆市产业创新中心")]],
        [[ENTERPRISE], [cond("org_type", Operator.EQ, "university"), cond("flag", Operator.EQ, True)]],
        [[ENTERPRISE], [cond("org_type", Operator.EQ, "university"), cond("org_type", Operator.REVIEW)]],
    ],
    ids=["eq-neq-other", "in-not_in", "touching-range", "range-with-a-gap", "review", "in_window-last-day", "multi",
         "like-neq", "alternative-on-another-fact", "alternative-awaiting-review"],
)
def test_conditions_that_can_hold_together_are_not_reported(groups):
    book = one_clause(groups=groups)

    assert errors(static_checks(book)) == []


def test_an_in_window_condition_on_a_clause_whose_window_is_empty_is_an_error():
    book = one_clause(ENTERPRISE, cond("recognised_on", Operator.IN_WINDOW), start=START, end=START)

    assert errors(static_checks(book)) == [("empty_window", "S-1", "recognised_on")]


def test_a_clause_whose_window_is_empty_is_an_error_on_as_of():
    book = one_clause(ENTERPRISE, start=END, end=START)

    assert errors(static_checks(book)) == [("empty_window", "S-1", "as_of")]


def test_a_window_that_ended_before_today_is_a_warning_not_an_error():
    book = one_clause(ENTERPRISE, start=day("2024-01-01"), end=day("2026-06-01"))

    findings = static_checks(book, today=TODAY)

    assert [(f.severity, f.code, f.clause) for f in findings if f.code == "window_ended"] == [("warning", "window_ended", "S-1")]
    assert "2026-05-31" in findings[0].message_en
    assert not any(f.code == "window_ended" for f in static_checks(book, today=dt.date(2026, 5, 31)))
    assert not any(f.code == "window_ended" for f in static_checks(book))


def test_framework_clauses_are_not_checked_for_contradictions():
    book = book_of(clause("F-1", [[ENTERPRISE], [cond("org_type", Operator.EQ, "university")]], kind="framework"))

    assert errors(static_checks(book)) == []


# ---------------------------------------------------------------- one achievement, paid twice


def paying(code: str, document: str = "SYN", *, position: int = 0, document_start: int = START, **extra):
    values = dict(amount_yuan=500_000, amount_kind="cap", achievement="standard.international", document=document,
                  document_start=document_start, start=START, end=END, position=position)
    values.update(extra)
    return clause(code, [[ENTERPRISE]], **values)


def test_two_monetary_clauses_of_one_document_rewarding_one_achievement_are_an_error():
    book = book_of(paying("S-1"), paying("S-2", position=1, amount_kind="fixed"))

    findings = static_checks(book)

    assert errors(findings) == [("double_payment", "S-1", None)]
    assert "S-2" in findings[0].message_en and "standard.international" in findings[0].message_en


def test_a_newer_documents_clause_for_the_same_achievement_is_a_warning_naming_the_newer_one():
    newer = day("2026-03-01")
    book = book_of(paying("OLD-1", "OLD"), paying("NEW-1", "NEW", position=1, document_start=newer, start=newer,
                                                   end=None, amount_kind="unspecified", amount_yuan=None))

    findings = static_checks(book)

    assert errors(findings) == []
    [warning] = [f for f in findings if f.severity == "warning"]
    assert (warning.code, warning.clause) == ("superseded_achievement", "OLD-1")
    assert "NEW-1" in warning.message_en and "就新、不重复" in warning.message_zh


def test_clauses_of_different_documents_taking_effect_the_same_day_are_an_error():
    book = book_of(paying("A-1", "A"), paying("B-1", "B", position=1))

    assert errors(static_checks(book)) == [("double_payment", "A-1", None)]


@pytest.mark.parametrize(
    "second",
    [
        dict(start=END, end=None),  # the windows do not overlap (END is exclusive)
        dict(amount_kind="none", amount_yuan=None),  # not monetary
        dict(achievement="standard.national"),
        dict(kind="framework"),
    ],
    ids=["windows-apart", "non-monetary", "other-achievement", "framework"],
)
def test_clauses_that_cannot_pay_twice_for_one_achievement_are_not_reported(second):
    book = book_of(paying("S-1"), paying("S-2", position=1, **second))

    assert not any(f.code in ("double_payment", "superseded_achievement") for f in static_checks(book))


# ---------------------------------------------------------------- unused facts, missing cases, order


def test_unused_facts_are_information_including_facts_only_framework_clauses_use():
    book = book_of(clause("S-1", [[ENTERPRISE], [cond("features", Operator.CONTAINS, "a")]], start=START),
                   clause("F-1", [[cond("flag", Operator.EQ, True)]], kind="framework", position=1))

    findings = static_checks(book)

    unused = {f.fact: f for f in findings if f.code == "unused_fact"}
    assert set(unused) == set(VOCABULARY) - {"org_type", "features"}
    assert all(f.severity == "info" and f.clause is None for f in unused.values())
    assert "framework" in unused["flag"].message_en and "framework" not in unused["count"].message_en


def test_a_clause_without_golden_cases_is_a_warning():
    book = book_of(clause("S-1", [[ENTERPRISE]], start=START), clause("S-2", [[ENTERPRISE]], start=START, position=1),
                   clause("S-3", [[ENTERPRISE]], start=START, position=2),
                   clause("F-1", [], kind="framework", position=3))
    cases = [
        Case("s1 yes", "S-1", TODAY, {"org_type": "enterprise"}, "eligible"),
        Case("s1 no", "S-1", TODAY, {"org_type": "university"}, "not_eligible"),
        Case("s2 review", "S-2", TODAY, {"org_type": "enterprise"}, "needs_review"),
    ]

    findings = [f for f in static_checks(book, cases=cases) if f.code == "missing_golden_cases"]

    assert [(f.severity, f.clause) for f in findings] == [("warning", "S-2"), ("warning", "S-3")]
    assert "non-qualifying" in findings[0].message_en and "a qualifying" not in findings[0].message_en
    assert "a qualifying" in findings[1].message_en and "non-qualifying" in findings[1].message_en
    assert not any(f.code == "missing_golden_cases" for f in static_checks(book))  # no library given: not checked


def test_findings_come_by_severity_then_catalogue_position_then_code():
    book = book_of(
        clause("S-2", [[cond("revenue", Operator.LT, 0)]], start=START, end=day("2026-02-01"), position=0),
        clause("S-10", [[ENTERPRISE], [cond("org_type", Operator.EQ, "university")]], start=START, position=1),
    )

    findings = static_checks(book, cases=[], today=TODAY)

    keys = [(f.severity, f.clause, f.code) for f in findings]
    assert keys[:2] == [("error", "S-2", "impossible_condition"), ("error", "S-10", "contradictory_conditions")]
    assert keys[2:5] == [("warning", "S-2", "missing_golden_cases"), ("warning", "S-2", "window_ended"),
                         ("warning", "S-10", "missing_golden_cases")]
    assert [f.fact for f in findings[5:]] == sorted(set(VOCABULARY) - {"revenue", "org_type"})
    assert findings == static_checks(dataclasses.replace(book), cases=[], today=TODAY)
