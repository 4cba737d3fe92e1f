"""The eligibility check: durable-rules decides what fires, the plain evaluator explains it.

`check` is a pure function of (facts, rule book, as_of): no clock, no writes. Both
evaluators run on every check; a disagreement is an engine fault and is raised, never
papered over (tests prove agreement on golden and thousands of generated fact sets).

`check` runs the book compiled to Python (rules.compiled); `run` + `result_dict` are the
reference that interprets the rows (rules.evaluator) and explains every outcome. They answer
alike (tests/unit/test_compiled.py); the reference is what the tests and replays compare with.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .adjustments import adjust, mark_not_combinable
from .adjustments import message as _message
from .compiled import (
    NEAR_MISS_MAX_UNMET,
    clause_head,
    compiled_book,
    generic_facts,
    group_message,
    supersede,
    window_message,
)
from .engine import EngineDisagreement, engine
from .evaluator import ClauseOutcome, condition_holds, evaluate
from .operators import date_to_days, normalise_facts
from .rulebook import RuleBook

__all__ = ["Checked", "check", "check_reference", "clause_outcome", "generic_facts", "qualifying", "result_dict", "run"]


@dataclass(frozen=True)
class Checked:
    book: RuleBook
    facts: dict  # normalised
    as_of: dt.date
    outcomes: list[ClauseOutcome]


def _disagree(fired_engine: set[str], fired_plain: set[str]) -> EngineDisagreement:
    return EngineDisagreement(
        f"engine fired {sorted(fired_engine - fired_plain)} extra, missed {sorted(fired_plain - fired_engine)}"
    )


def _decide(book: RuleBook, raw_facts: dict, as_of: dt.date):
    """Normalise, scan with the compiled evaluator, ask durable-rules, refuse if they disagree.

    (compiled book, normalised facts, epoch day, the scan, indices of the fired clauses).
    """
    compiled = compiled_book(book)
    facts = compiled.normalise(raw_facts)
    days = date_to_days(as_of)
    scan = compiled.scan_fn(facts, days)
    fired = compiled.fired_indices(scan[0])
    fired_engine = engine.evaluate(book.engine_key, book, facts, days)
    if fired_engine != compiled.codes_of(fired):
        raise _disagree(fired_engine, compiled.codes_of(fired))
    return compiled, facts, days, scan, fired


def check(book: RuleBook, raw_facts: dict, as_of: dt.date) -> dict:
    """Which clauses the facts qualify for on `as_of`, why, and what nearly applies (the API's answer)."""
    compiled, facts, days, scan, fired = _decide(book, raw_facts, as_of)
    return compiled.explain(facts, days, as_of, scan, fired)


# ---------------------------------------------------------------- the reference


def run(book: RuleBook, raw_facts: dict, as_of: dt.date) -> Checked:
    facts = normalise_facts(book.vocabulary, raw_facts)
    days = date_to_days(as_of)
    outcomes = evaluate(book, facts, days)
    fired_plain = {o.clause.code for o in outcomes if o.fires}
    fired_engine = engine.evaluate(book.engine_key, book, facts, days)
    if fired_plain != fired_engine:
        raise _disagree(fired_engine, fired_plain)
    return Checked(book, facts, as_of, outcomes)


def _because(o: ClauseOutcome, facts: dict, as_of: int) -> list[dict]:
    reasons = [window_message(o.clause)]
    for g in o.groups:
        for cond in g.conditions:
            if condition_holds(cond, facts, as_of, o.clause) is True:
                reasons.append(_message(cond.fact, cond.message_zh, cond.message_en, cond.interpretation))
                break
    return reasons


def _group_messages(groups) -> list[dict]:
    return [group_message(g.conditions) for g in groups]


def _excluded(o: ClauseOutcome, facts: dict) -> bool:
    """Excluded for good: out of its window, or a group failed although all its facts are stated."""
    if not o.in_window:
        return True
    return any(g.met is False and all(c.fact in facts for c in g.conditions) for g in o.groups)


def _engaged(o: ClauseOutcome, facts: dict, generic: set[str]) -> bool:
    """The applicant stated at least one fact specific to this clause (not only who and where they are)."""
    return any(c.fact in facts and c.fact not in generic for g in o.groups for c in g.conditions)


def result_dict(checked: Checked) -> dict:
    book, facts = checked.book, checked.facts
    generic = generic_facts(book)
    days = date_to_days(checked.as_of)
    eligible, review, near = [], [], []
    relevant: set[str] = set(facts)
    for o in checked.outcomes:
        c = o.clause
        if not _excluded(o, facts):
            relevant.update(cond.fact for g in o.groups for cond in g.conditions)
        if o.status == "eligible":
            eligible.append({**clause_head(c), "because": _because(o, facts, days)})
        elif o.status == "needs_review":
            review.append(
                {
                    **clause_head(c),
                    "because": _because(o, facts, days),
                    "awaiting": _group_messages([g for g in o.groups if g.met is None]),
                }
            )
        else:
            unmet = ([] if o.in_window else [window_message(c)]) + _group_messages(
                [g for g in o.groups if g.met is False]
            )
            if len(unmet) <= NEAR_MISS_MAX_UNMET and _engaged(o, facts, generic):
                near.append(
                    {"code": c.code, "title_zh": c.title_zh, "title_en": c.title_en, "met": o.met, "total": o.total, "unmet": unmet}
                )
    eligible, review, held = adjust(eligible, review, book, facts, checked.as_of)
    superseded = supersede(eligible + review, book) + held
    mark_not_combinable(eligible + review, book)
    gone = {s["code"] for s in superseded}
    near.sort(key=lambda n: (n["total"] - n["met"], -n["met"]))
    return {
        "as_of": checked.as_of.isoformat(),
        "ruleset_version": book.version,
        "eligible": [e for e in eligible if e["code"] not in gone],
        "needs_review": [r for r in review if r["code"] not in gone],
        "near_misses": near,
        "superseded": superseded,
        "relevant_facts": sorted(relevant),
    }


def check_reference(book: RuleBook, raw_facts: dict, as_of: dt.date) -> dict:
    """`check` through the row interpreter and the full explanation: what the compiled path must equal."""
    return result_dict(run(book, raw_facts, as_of))


def clause_outcome(book: RuleBook, raw_facts: dict, as_of: dt.date, code: str) -> tuple[str, tuple]:
    """One clause's status (eligible, needs_review, superseded or unmet) and its groups (True, False or None each).

    Decided as `check` decides (durable-rules, cross-checked by the compiled evaluator), without the
    explanation: what an application's evaluation stores. A clause the book does not evaluate is unmet.
    """
    compiled, facts, days, _scan, fired = _decide(book, raw_facts, as_of)
    i = compiled.index.get(code)
    if i is None:
        return "unmet", ()
    groups = compiled.groups(i, facts, days)
    if i not in fired:
        return "unmet", groups
    # What the texts add beyond the clause's conditions, as `check` applies them (rules.adjustments): support the
    # same item already received elsewhere (就新、不重复) supersedes the clause or sends it to an officer.
    item = {"code": code, "awaiting": []}
    eligible, review = ([], [item]) if None in groups else ([item], [])
    eligible, review, held = adjust(eligible, review, book, facts, as_of)
    if held:
        return "superseded", groups
    return ("eligible" if eligible else "needs_review"), groups


def qualifying(book: RuleBook, raw_facts: dict, as_of: dt.date) -> list[tuple[str, str, int | None, str]]:
    """(code, status, amount_yuan, amount_kind) of what `check` lists as eligible, then as needing review,
    superseded clauses left out: what an impact preview compares, exactly as `check` lists it (the texts'
    adjustments included)."""
    result = check(book, raw_facts, as_of)
    return ([(e["code"], "eligible", e["amount_yuan"], e["amount_kind"]) for e in result["eligible"]]
            + [(r["code"], "needs_review", r["amount_yuan"], r["amount_kind"]) for r in result["needs_review"]])
