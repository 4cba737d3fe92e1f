"""Fact and condition normalisation: bad values are refused with an error naming the field, good ones accepted."""
from __future__ import annotations

import datetime as dt

import pytest

from rules.operators import (
    MAX_LIST,
    MAX_TEXT,
    OPERATORS_BY_TYPE,
    FactError,
    FactSpec,
    FactType,
    Operator,
    date_to_days,
    normalise_condition_value,
    normalise_facts,
    normalise_value,
)

ENUM = FactSpec("e", FactType.ENUM, choices=("a", "b", "c"))
MULTI = FactSpec("m", FactType.MULTI, choices=tuple(f"c{i}" for i in range(60)))
SPECS = {
    FactType.BOOL: FactSpec("b", FactType.BOOL),
    FactType.INT: FactSpec("i", FactType.INT, min_value=0),
    FactType.MONEY: FactSpec("y", FactType.MONEY),
    FactType.RATIO: FactSpec("r", FactType.RATIO),
    FactType.DATE: FactSpec("d", FactType.DATE),
    FactType.ENUM: ENUM,
    FactType.MULTI: MULTI,
    FactType.TEXT: FactSpec("t", FactType.TEXT),
}


# ---------------------------------------------------------------- the applicant's facts, against the real vocabulary


@pytest.mark.parametrize(
    "facts, field, code",
    [
        ({"no_such_fact": True}, "facts.no_such_fact", "unknown_fact"),
        ({"registered_in_chongqing": "yes"}, "facts.registered_in_chongqing", "invalid_type"),
        ({"registered_in_chongqing": 1}, "facts.registered_in_chongqing", "invalid_type"),
        ({"incubated_future_enterprises": True}, "facts.incubated_future_enterprises", "invalid_type"),
        ({"incubated_future_enterprises": "99"}, "facts.incubated_future_enterprises", "invalid_type"),
        ({"incubated_future_enterprises": 2.5}, "facts.incubated_future_enterprises", "invalid_type"),
        ({"incubated_future_enterprises": -1}, "facts.incubated_future_enterprises", "out_of_range"),
        ({"incubated_valuation_yuan": -1}, "facts.incubated_valuation_yuan", "out_of_range"),
        ({"incubated_valuation_yuan": 10**15 + 1}, "facts.incubated_valuation_yuan", "out_of_range"),
        ({"incubated_valuation_yuan": 1e20}, "facts.incubated_valuation_yuan", "invalid_type"),
        ({"conversion_rate": 12.345}, "facts.conversion_rate", "invalid_precision"),
        ({"conversion_rate": 1e-05}, "facts.conversion_rate", "invalid_precision"),
        ({"conversion_rate": "NaN"}, "facts.conversion_rate", "invalid_type"),
        ({"conversion_rate": "twelve"}, "facts.conversion_rate", "invalid_type"),
        ({"conversion_rate": True}, "facts.conversion_rate", "invalid_type"),
        ({"conversion_rate": 100.01}, "facts.conversion_rate", "out_of_range"),
        ({"conversion_rate": -0.01}, "facts.conversion_rate", "out_of_range"),
        ({"complex_formed_on": "2026-02-30"}, "facts.complex_formed_on", "invalid_date"),
        ({"complex_formed_on": "2026-2-3"}, "facts.complex_formed_on", "invalid_date"),
        ({"complex_formed_on": "03/02/2026"}, "facts.complex_formed_on", "invalid_date"),
        ({"complex_formed_on": 20260203}, "facts.complex_formed_on", "invalid_date"),
        ({"complex_formed_on": "1899-12-31"}, "facts.complex_formed_on", "invalid_date"),
        ({"org_type": "company"}, "facts.org_type", "invalid_choice"),
        ({"org_type": "Enterprise"}, "facts.org_type", "invalid_choice"),
        ({"org_type": ["enterprise"]}, "facts.org_type", "invalid_choice"),
        ({"complex_governance": "council"}, "facts.complex_governance", "invalid_type"),
        ({"complex_governance": ["council"] * (MAX_LIST + 1)}, "facts.complex_governance", "invalid_type"),
        ({"complex_governance": ["council", "parliament"]}, "facts.complex_governance", "invalid_choice"),
        ({"complex_governance": [1]}, "facts.complex_governance", "invalid_choice"),
        ({"iic_proposed_name": "中" * (MAX_TEXT + 1)}, "facts.iic_proposed_name", "invalid_type"),
        ({"iic_proposed_name": 42}, "facts.iic_proposed_name", "invalid_type"),
        ({"org_type": None}, "facts.org_type", "null"),
    ],
)
def test_a_bad_fact_is_refused_naming_its_field(book, facts, field, code):
    with pytest.raises(FactError) as caught:
        normalise_facts(book.vocabulary, facts)

    assert caught.value.field == field
    assert caught.value.code == code
    assert str(caught.value).startswith(f"{field}: ")


def test_the_first_bad_field_is_named_when_several_are_bad(book):
    with pytest.raises(FactError) as caught:
        normalise_facts(book.vocabulary, {"org_type": "enterprise", "conversion_rate": 1.234, "no_such": 1})

    assert caught.value.field == "facts.conversion_rate"


def test_facts_that_are_not_an_object_are_refused(book):
    with pytest.raises(FactError) as caught:
        normalise_facts(book.vocabulary, [("org_type", "enterprise")])

    assert caught.value.field == "facts"


def test_good_facts_are_accepted_in_the_engine_representation(book):
    raw = {
        "org_type": "enterprise",
        "registered_in_chongqing": True,
        "incubated_future_enterprises": 3,
        "incubated_valuation_yuan": 10**15,
        "conversion_rate": 12.5,
        "survival_rate": "99.99",
        "complex_formed_on": "2026-01-01",
        "complex_governance": ["secretariat", "council", "council"],
        "iic_proposed_name": "  重庆市低空经济产业创新中心 ",
    }

    facts = normalise_facts(book.vocabulary, raw)

    assert facts == {
        "org_type": "enterprise",
        "registered_in_chongqing": True,
        "incubated_future_enterprises": 3,
        "incubated_valuation_yuan": 10**15,
        "conversion_rate": 1250,
        "survival_rate": 9999,
        "complex_formed_on": date_to_days(dt.date(2026, 1, 1)),
        "complex_governance": ["council", "secretariat"],
        "iic_proposed_name": "重庆市低空经济产业创新中心",
    }


@pytest.mark.parametrize(
    "spec_type, raw, value",
    [
        (FactType.INT, 7.0, 7),
        (FactType.INT, 0, 0),
        (FactType.MONEY, 0, 0),
        (FactType.RATIO, 0, 0),
        (FactType.RATIO, 100, 10000),
        (FactType.RATIO, "0.01", 1),
        (FactType.RATIO, 33.3, 3330),
        (FactType.RATIO, "12.50", 1250),
        (FactType.DATE, "2024-02-29", date_to_days(dt.date(2024, 2, 29))),
        (FactType.DATE, "1969-12-31", -1),
        (FactType.BOOL, False, False),
        (FactType.MULTI, [], []),
        (FactType.TEXT, "中" * MAX_TEXT, "中" * MAX_TEXT),
    ],
)
def test_boundary_values_are_accepted(spec_type, raw, value):
    assert normalise_value(SPECS[spec_type], raw) == value


@pytest.mark.parametrize("raw", [1e30, "1e30", "1E+40"])
def test_a_huge_ratio_is_refused_naming_its_field(book, raw):
    with pytest.raises(FactError) as caught:
        normalise_facts(book.vocabulary, {"conversion_rate": raw})

    assert caught.value.field == "facts.conversion_rate"


def test_an_int_fact_without_a_minimum_refuses_values_beyond_the_engine_range():
    with pytest.raises(FactError) as caught:
        normalise_facts({"n": FactSpec("n", FactType.INT)}, {"n": -(2**60)})

    assert caught.value.field == "facts.n"


# ---------------------------------------------------------------- condition values (the administrator's rule rows)


def _mismatched_pairs():
    for fact_type, allowed in OPERATORS_BY_TYPE.items():
        for op in Operator:
            if op not in allowed:
                yield pytest.param(fact_type, op, id=f"{fact_type}-{op}")


@pytest.mark.parametrize("fact_type, op", list(_mismatched_pairs()))
def test_an_operator_that_does_not_fit_the_fact_type_is_refused(fact_type, op):
    with pytest.raises(FactError) as caught:
        normalise_condition_value(SPECS[fact_type], op, "x")

    assert caught.value.field == "operator"
    assert caught.value.code == "operator_mismatch"


@pytest.mark.parametrize(
    "fact_type, op",
    [
        (FactType.BOOL, Operator.GT),
        (FactType.DATE, Operator.EQ),
        (FactType.ENUM, Operator.LIKE),
        (FactType.ENUM, Operator.CONTAINS),
        (FactType.MULTI, Operator.EQ),
        (FactType.MULTI, Operator.IN),
        (FactType.TEXT, Operator.GT),
        (FactType.INT, Operator.IN_WINDOW),
        (FactType.RATIO, Operator.CONTAINS_ANY),
    ],
)
def test_notable_mismatches_are_among_the_refused(fact_type, op):
    assert op not in OPERATORS_BY_TYPE[fact_type]


@pytest.mark.parametrize(
    "spec, op, value, field, code",
    [
        (SPECS[FactType.DATE], Operator.IN_WINDOW, "2026-01-01", "value", "unexpected_value"),
        (SPECS[FactType.BOOL], Operator.EXISTS, True, "value", "unexpected_value"),
        (SPECS[FactType.BOOL], Operator.REVIEW, "x", "value", "unexpected_value"),
        (SPECS[FactType.TEXT], Operator.LIKE, "重庆市产业创新中心", "value", "invalid_pattern"),
        (SPECS[FactType.TEXT], Operator.LIKE, 5, "value", "invalid_pattern"),
        (SPECS[FactType.TEXT], Operator.LIKE, "*" + "a" * MAX_TEXT, "value", "invalid_pattern"),
        (ENUM, Operator.IN, "a", "value", "invalid_type"),
        (ENUM, Operator.IN, [], "value", "invalid_type"),
        (ENUM, Operator.IN, ["a", "z"], "value", "invalid_choice"),
        (ENUM, Operator.EQ, "z", "value", "invalid_choice"),
        (MULTI, Operator.CONTAINS, "zz", "value", "invalid_choice"),
        (MULTI, Operator.CONTAINS_ALL, "c1", "value", "invalid_type"),
        (MULTI, Operator.CONTAINS_ANY, [], "value", "invalid_type"),
        (SPECS[FactType.INT], Operator.GT, "1", "value", "invalid_type"),
        (SPECS[FactType.INT], Operator.GT, True, "value", "invalid_type"),
        (SPECS[FactType.RATIO], Operator.GTE, 12.345, "value", "invalid_precision"),
        (SPECS[FactType.DATE], Operator.GTE, "2026-02-30", "value", "invalid_date"),
        (SPECS[FactType.BOOL], Operator.EQ, "true", "value", "invalid_type"),
        (SPECS[FactType.BOOL], Operator.EQ, None, "value", "null"),
    ],
)
def test_a_condition_value_that_does_not_fit_is_refused(spec, op, value, field, code):
    with pytest.raises(FactError) as caught:
        normalise_condition_value(spec, op, value)

    assert (caught.value.field, caught.value.code) == (field, code)


@pytest.mark.parametrize(
    "spec, op, value, expected",
    [
        (SPECS[FactType.DATE], Operator.IN_WINDOW, None, None),
        (SPECS[FactType.DATE], Operator.GTE, "2026-01-01", date_to_days(dt.date(2026, 1, 1))),
        (SPECS[FactType.BOOL], Operator.EXISTS, "", None),
        (SPECS[FactType.BOOL], Operator.REVIEW, [], None),
        (SPECS[FactType.TEXT], Operator.LIKE, "重庆市*产业创新中心", "重庆市*产业创新中心"),
        (ENUM, Operator.IN, ["b", "a"], ["b", "a"]),
        (ENUM, Operator.NOT_IN, ["c"], ["c"]),
        (MULTI, Operator.CONTAINS, "c1", "c1"),
        (MULTI, Operator.CONTAINS_ALL, ["c2", "c1", "c2"], ["c1", "c2"]),
        (SPECS[FactType.RATIO], Operator.LT, 12.5, 1250),
        (SPECS[FactType.MONEY], Operator.GTE, 5_000_000, 5_000_000),
        (SPECS[FactType.INT], Operator.EQ, 3, 3),
    ],
)
def test_a_fitting_condition_value_is_normalised(spec, op, value, expected):
    assert normalise_condition_value(spec, op, value) == expected


def test_every_condition_in_the_fixtures_fits_its_fact(book):
    for clause in book.clauses:
        for group in clause.groups:
            for cond in group:
                assert cond.operator in OPERATORS_BY_TYPE[book.vocabulary[cond.fact].type], (clause.code, cond)
