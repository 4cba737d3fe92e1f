"""The rule book compiled to Python (rules.compiled) answers exactly as the reference, on every input.

The reference is the row interpreter (rules.evaluator) with the full explanation (rules.check.result_dict);
the engine's one-pass payload writer is compared with build_payload. Golden cases and thousands of
generated fact sets (the strategies of test_agreement) are checked value for value, errors included.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.cases import golden_cases
from rules.check import check, check_reference, clause_outcome, qualifying, run
from rules.compiled import compiled_book
from rules.engine import (
    AS_OF_KEY,
    DISCRIMINATOR,
    LIKE_PREFIX,
    EngineError,
    EngineLimitError,
    build_payload,
    payload_encoder,
    short_name,
)
from rules.evaluator import fired_codes
from rules.operators import FactError, FactSpec, FactType, Operator, date_to_days, normalise_facts
from rules.rulebook import RuleBook

from .synthetic import clause, cond
from .test_agreement import SETTINGS, random_subset, targeted

EXAMPLES = 1_500


def as_sent(payload: dict) -> dict:
    """build_payload's dict under the short attribute names the engine sends (rules.engine.Keys)."""
    return {k if k in (DISCRIMINATOR, AS_OF_KEY) or k.startswith(LIKE_PREFIX) else short_name(k): v
            for k, v in payload.items()}


def answers(book, raw, as_of):
    """check's answer or its refusal (field, code), by the compiled path and by the reference."""
    def one(fn):
        try:
            return fn(book, raw, as_of)
        except FactError as exc:
            return ("refused", exc.field, exc.code, exc.message)
    return one(check), one(check_reference)


def test_every_golden_case_gets_the_reference_answer(book):
    cases = golden_cases()

    pairs = [answers(book, case.facts, case.as_of) for case in cases]

    assert len(cases) >= 100
    for case, (compiled, reference) in zip(cases, pairs):
        assert compiled == reference, case.name


@pytest.mark.parametrize("strategy", [targeted, random_subset], ids=["aiming at a clause", "random subsets"])
def test_generated_applicants_get_the_reference_answer(book, strategy):
    seen = {"eligible": 0, "near": 0}

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(case=strategy(book))
    def run_one(case):
        compiled, reference = answers(book, *case)
        assert compiled == reference
        seen["eligible"] += bool(isinstance(compiled, dict) and compiled["eligible"])
        seen["near"] += bool(isinstance(compiled, dict) and compiled["near_misses"])

    run_one()

    assert seen["eligible"] >= EXAMPLES // 100 and seen["near"] >= EXAMPLES // 20  # the answers were not all empty


def test_the_compiled_evaluator_fires_what_the_interpreter_fires(book):
    compiled = compiled_book(book)

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(case=st.one_of(targeted(book), random_subset(book)))
    def run_one(case):
        facts, days = normalise_facts(book.vocabulary, case[0]), date_to_days(case[1])
        assert compiled.fired_codes(facts, days) == fired_codes(book, facts, days)
        for i, spec in enumerate(compiled.clauses):
            assert compiled.groups(i, facts, days) == tuple(g.met for g in _outcome(book, spec.code, facts, days).groups)

    run_one()


def _outcome(book, code, facts, days):
    from rules.evaluator import evaluate_clause

    return evaluate_clause(book.clause(code), facts, days)


@pytest.mark.parametrize("raw", [
    {"org_type": "spaceship"}, {"registered_in_chongqing": "yes"}, {"intl_standard_published_on": "2026-02-30"},
    {"intl_standard_published_on": "20260301"}, {"intl_standard_published_on": 20260301}, {"nope": 1},
    {"org_type": None}, {"complex_governance": ["council", "council"]}, {"complex_governance": "council"},
    {"conversion_rate": "12.345"}, {"conversion_rate": 12.5}, {"conversion_rate": 101}, {"conversion_rate": True},
    {"iic_proposed_name": "  重庆市低空经济产业创新中心  "}, {"iic_proposed_name": "x" * 201},
    {"incubated_future_enterprises": 3.0}, {"incubated_future_enterprises": -1}, [],
])
def test_normalising_keeps_the_reference_values_and_refusals(book, raw):
    def outcome(fn):
        try:
            return fn(raw)
        except FactError as exc:
            return (exc.field, exc.code, exc.message)

    assert outcome(compiled_book(book).normalise) == outcome(lambda r: normalise_facts(book.vocabulary, r))


def test_an_applications_clause_outcome_is_what_the_reference_says(book):
    for case in golden_cases():
        if not case.clause:
            continue
        reference = next(o for o in run(book, case.facts, case.as_of).outcomes if o.clause.code == case.clause) \
            if case.clause in {c.code for c in book.evaluated_clauses} else None

        answer = check_reference(book, case.facts, case.as_of)
        listed = {**{s["code"]: "superseded" for s in answer["superseded"]},
                  **{e["code"]: "eligible" for e in answer["eligible"]},
                  **{r["code"]: "needs_review" for r in answer["needs_review"]}}

        status, groups = clause_outcome(book, case.facts, case.as_of, case.clause)

        # the answer's lists, the texts' adjustments included (就新、不重复, FIM's uncertain first days)
        assert status == listed.get(case.clause, "unmet"), case.name
        assert groups == (tuple(g.met for g in reference.groups) if reference else ())


# ---------------------------------------------------------------- the engine's payload, written in one pass


def test_the_payload_text_is_the_payload(book):
    encoder = payload_encoder(book)

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(case=st.one_of(targeted(book), random_subset(book)))
    def run_one(case):
        facts, days = normalise_facts(book.vocabulary, case[0]), date_to_days(case[1])
        assert json.loads(encoder.encode(facts, days) + "}") == as_sent(build_payload(book, facts, days))

    run_one()


def _typed_book() -> RuleBook:
    vocab = {"n": FactSpec("n", FactType.INT), "d": FactSpec("d", FactType.DATE), "b": FactSpec("b", FactType.BOOL),
             "m": FactSpec("m", FactType.MULTI, choices=("x", "y")), "t": FactSpec("t", FactType.TEXT)}
    return RuleBook(version=0, clauses=(clause("T-1", [[cond("t", Operator.LIKE, "a*")]]),), vocabulary=vocab,
                    checksum="typed")


@pytest.mark.parametrize("facts", [
    {"n": 1.5}, {"n": True}, {"n": "9"}, {"n": 2**53}, {"d": "2026-01-01"}, {"b": 1}, {"m": "x"}, {"m": ["x y"]},
    {"t": 5}, {"zz": 1}, {"n": 3, "d": 20000, "b": False, "m": ["x", "y"], "t": 'a"b\n'},
])
def test_the_payload_writer_refuses_what_build_payload_refuses(facts):
    book = _typed_book()

    def outcome(fn):
        try:
            return ("ok", fn())
        except (EngineError, EngineLimitError) as exc:
            return (type(exc).__name__, str(getattr(exc, "detail", None) or exc))

    by_dict = outcome(lambda: as_sent(build_payload(book, facts, 20500)))
    by_text = outcome(lambda: json.loads(payload_encoder(book).encode(facts, 20500) + "}"))

    assert by_text == by_dict


def test_the_check_answer_does_not_change_with_repetition(book):
    facts = {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai",
             "intl_standard_role": "lead", "intl_standard_field": "embodied_ai",
             "intl_standard_published_on": "2026-03-01"}  # the standard's own field (issue 9)
    first = check(book, facts, dt.date(2026, 6, 1))
    first["eligible"][0]["bureaus"].append("changed by a caller")

    again = [check(book, facts, dt.date(2026, 6, 1)) for _ in range(3)]

    assert all(a == again[0] for a in again) and "changed by a caller" not in again[0]["eligible"][0]["bureaus"]


def listed(answer: dict) -> list[tuple]:
    return [(i["code"], status, i["amount_yuan"], i["amount_kind"])
            for status in ("eligible", "needs_review") for i in answer[status]]


def test_what_an_impact_preview_compares_is_what_the_check_lists(book):
    cases = [(c.facts, c.as_of) for c in golden_cases()]

    @settings(max_examples=EXAMPLES // 3, **SETTINGS)
    @given(case=st.one_of(targeted(book), random_subset(book)))
    def run_one(case):
        cases.append(case)

    run_one()

    for facts, as_of in cases:
        try:
            expected = listed(check_reference(book, facts, as_of))
        except FactError:
            continue
        assert qualifying(book, facts, as_of) == expected
