"""durable-rules (rules.engine) and the plain evaluator (rules.evaluator) fire the same clauses, under hypothesis.

Fact sets are drawn from the loaded vocabulary. Most examples aim at one clause and state what it needs
(with some of it left out or spoilt), on top of random noise, so that most clauses really fire; the
rest are unbiased random subsets of the vocabulary. Dates cluster around the documents' window edges.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.engine import engine
from rules.evaluator import condition_holds, fired_codes
from rules.operators import FactSpec, FactType, Operator, date_to_days, days_to_date, normalise_facts
from rules.rulebook import ClauseSpec, Cond, RuleBook

TARGETED_EXAMPLES = 2_200
RANDOM_EXAMPLES = 1_000
EDGES = [dt.date(2024, 6, 29), dt.date(2024, 9, 25), dt.date(2025, 7, 17), dt.date(2025, 8, 19),
         dt.date(2026, 1, 1), dt.date(2027, 12, 31), dt.date(2028, 1, 1)]
NAMES = ["重庆市低空经济产业创新中心", "重庆市产业创新中心", "重庆市人工智能产业创新中心", "低空经济产业创新中心",
         "重庆市低空经济产业创新中心有限公司", "重庆市 产业创新中心", "重庆市%产业创新中心", "重庆市.+产业创新中心"]
PERCENT = 100  # draws below are "out of 100"

SETTINGS = dict(deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@lru_cache(maxsize=None)
def chance(p: int):
    return st.integers(0, PERCENT - 1).map(lambda n: n < p)


def iso(day: dt.date) -> str:
    return day.isoformat()


@lru_cache(maxsize=None)
def dates_between(lo: dt.date, hi: dt.date):
    """Dates in [lo, hi], biased towards the window edges the documents define (± a few days)."""
    near = [e + dt.timedelta(days=k) for e in EDGES for k in (-2, -1, 0, 1, 2)]
    near = [d for d in near if lo <= d <= hi]
    uniform = st.dates(min_value=lo, max_value=hi)
    return st.one_of(st.sampled_from(near), uniform) if near else uniform


DATES = dates_between(dt.date(2023, 1, 1), dt.date(2029, 12, 31))
AS_OF = dates_between(dt.date(2024, 1, 1), dt.date(2029, 12, 31))


def ratio_raw(hundredths: int):
    """A percentage as an applicant might send it: a number or a string with at most two decimals."""
    return st.sampled_from([
        hundredths / 100,
        f"{hundredths / 100:.2f}",
        hundredths // 100 if hundredths % 100 == 0 else hundredths / 100,
    ])


def text_values():
    return st.one_of(
        st.sampled_from(NAMES),
        st.builds(lambda mid: f"重庆市{mid}产业创新中心", st.text(min_size=0, max_size=12)),
        st.text(max_size=40),
    )


@lru_cache(maxsize=None)
def value_for(spec: FactSpec):
    """Any valid raw value of a fact."""
    t = spec.type
    if t == FactType.BOOL:
        return st.booleans()
    if t in (FactType.INT, FactType.MONEY):
        lo = spec.min_value if spec.min_value is not None else 0
        hi = spec.max_value if spec.max_value is not None else 10**15
        return st.one_of(st.integers(lo, min(hi, lo + 5)), st.integers(lo, hi))
    if t == FactType.RATIO:
        return st.integers(0, 10_000).flatmap(ratio_raw)
    if t == FactType.DATE:
        return DATES.map(iso)
    if t == FactType.ENUM:
        return st.sampled_from(spec.choices)
    if t == FactType.MULTI:
        return st.lists(st.sampled_from(spec.choices), max_size=len(spec.choices) + 2)
    if t == FactType.TEXT:
        return text_values()
    raise AssertionError(t)


_satisfying: dict = {}


def satisfying(cond: Cond, spec: FactSpec, clause: ClauseSpec, as_of: dt.date):
    """A raw value that meets `cond` (or, where that is impossible, any value); strategies are built once."""
    key = (clause.code, id(cond), as_of if cond.operator == Operator.IN_WINDOW else None)
    if key not in _satisfying:
        _satisfying[key] = _satisfying_strategy(cond, spec, clause, as_of)
    return _satisfying[key]


def _satisfying_strategy(cond: Cond, spec: FactSpec, clause: ClauseSpec, as_of: dt.date):
    op, x, t = cond.operator, cond.value, spec.type
    if op in (Operator.REVIEW, Operator.EXISTS):
        return value_for(spec)
    if op == Operator.EQ:
        if t == FactType.DATE:
            return st.just(iso(days_to_date(x)))
        if t == FactType.RATIO:
            return ratio_raw(x)
        return st.just(x)
    if op == Operator.NEQ and t == FactType.BOOL:
        return st.just(not x)
    if op == Operator.IN:
        return st.sampled_from(x)
    if op == Operator.NOT_IN:
        others = [c for c in spec.choices if c not in x]
        return st.sampled_from(others) if others else value_for(spec)
    if op in (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE) and t in (FactType.INT, FactType.MONEY):
        step = {Operator.GT: 1, Operator.GTE: 0, Operator.LT: -1, Operator.LTE: 0}[op]
        sign = 1 if op in (Operator.GT, Operator.GTE) else -1
        return st.integers(0, 50).map(lambda k: max(x + step + sign * k, spec.min_value or 0))
    if op == Operator.CONTAINS:
        return st.lists(st.sampled_from(spec.choices), max_size=3).map(lambda rest: rest + [x])
    if op == Operator.CONTAINS_ALL:
        return st.lists(st.sampled_from(spec.choices), max_size=3).map(lambda rest: rest + list(x))
    if op == Operator.CONTAINS_ANY:
        return st.tuples(st.sampled_from(x), st.lists(st.sampled_from(spec.choices), max_size=3)).map(
            lambda pair: [pair[0], *pair[1]])
    if op == Operator.IN_WINDOW:
        lo = days_to_date(clause.start)
        hi = min(as_of, days_to_date(clause.end - 1)) if clause.end is not None else as_of
        return dates_between(lo, hi).map(iso) if lo <= hi else DATES.map(iso)
    if op == Operator.LIKE:
        return st.one_of(st.sampled_from(NAMES), st.builds(lambda mid: x.replace("*", mid or "某"), st.text(max_size=10)))
    return value_for(spec)


def _still_holds(cond: Cond, facts: dict, book: RuleBook, clause: ClauseSpec, as_of: dt.date) -> bool:
    """Several groups may test one fact (a date in the window and after FIM's uncertain first days; a stated
    requirement and the officer's review of it): a value that meets this condition too is kept."""
    if cond.fact not in facts:
        return False
    stated = normalise_facts(book.vocabulary, {cond.fact: facts[cond.fact]})
    return condition_holds(cond, stated, date_to_days(as_of), clause) is not False


@st.composite
def targeted(draw, book: RuleBook):
    """An applicant aiming at one clause: its conditions mostly met, on top of random noise."""
    clause = draw(st.sampled_from(book.evaluated_clauses))
    if clause.end is not None and draw(chance(85)):
        as_of = draw(dates_between(days_to_date(clause.start), days_to_date(clause.end - 1)))
    elif draw(chance(85)):
        as_of = draw(dates_between(days_to_date(clause.start), dt.date(2029, 12, 31)))
    else:
        as_of = draw(AS_OF)
    noise = draw(st.lists(st.sampled_from(sorted(book.vocabulary)), unique=True, max_size=10))
    facts = {code: draw(value_for(book.vocabulary[code])) for code in noise}
    for group in clause.groups:
        if draw(chance(90)):
            cond = draw(st.sampled_from(group))
            if _still_holds(cond, facts, book, clause, as_of):
                continue  # an earlier group set this fact and it meets this one too (a review, a later date bound)
            facts[cond.fact] = draw(satisfying(cond, book.vocabulary[cond.fact], clause, as_of))
        elif draw(chance(50)):
            facts.pop(group[0].fact, None)
    return facts, as_of


@st.composite
def random_subset(draw, book: RuleBook):
    """An unbiased applicant: any subset of the vocabulary with any valid values, core facts usually qualifying."""
    codes = draw(st.lists(st.sampled_from(sorted(book.vocabulary)), unique=True, max_size=len(book.vocabulary) // 2))
    facts = {code: draw(value_for(book.vocabulary[code])) for code in codes}
    if draw(chance(80)):
        facts["registered_in_chongqing"] = True
    if draw(chance(60)):
        facts["org_type"] = draw(st.sampled_from(["enterprise", "enterprise", "industry_research_institute",
                                                  *book.vocabulary["org_type"].choices]))
    if draw(chance(60)):
        facts["future_industry_field"] = draw(st.sampled_from(book.vocabulary["future_industry_field"].choices[1:]))
    return facts, draw(AS_OF)


def agree(book: RuleBook, raw: dict, as_of: dt.date) -> set[str]:
    facts = normalise_facts(book.vocabulary, raw)
    days = date_to_days(as_of)

    by_engine = engine.evaluate(book.engine_key, book, facts, days)

    by_evaluator = fired_codes(book, facts, days)
    assert by_engine == by_evaluator, (sorted(by_engine - by_evaluator), sorted(by_evaluator - by_engine))
    return by_engine


def test_engine_and_evaluator_agree_on_applicants_aiming_at_each_clause(book):
    fired = Counter()

    @settings(max_examples=TARGETED_EXAMPLES, **SETTINGS)
    @given(case=targeted(book))
    def run(case):
        fired["examples"] += 1
        fired.update(agree(book, *case))

    run()

    assert fired.pop("examples") >= TARGETED_EXAMPLES
    evaluated = {c.code for c in book.evaluated_clauses}
    assert set(fired) <= evaluated
    assert len(fired) >= len(evaluated) - 3, sorted(evaluated - set(fired))
    assert sum(fired.values()) >= TARGETED_EXAMPLES // 2


def test_engine_and_evaluator_agree_on_random_subsets_of_the_vocabulary(book):
    fired = Counter()

    @settings(max_examples=RANDOM_EXAMPLES, **SETTINGS)
    @given(case=random_subset(book))
    def run(case):
        fired["examples"] += 1
        fired.update(agree(book, *case))

    run()

    assert fired.pop("examples") >= RANDOM_EXAMPLES
    # Breadth is the targeted test's job; this one only shows random input reaches the firing paths at all.
    assert len(fired) >= 5, sorted(fired)
