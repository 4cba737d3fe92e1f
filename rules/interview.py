"""The interview: which facts can still change some clause's answer, and the check with "not sure" answers.

Pure functions of (rule book, facts, as_of, the interview's state), like rules.check.check: no clock, no
writes. The rows say which facts each clause's conditions test; a clause already decided (a group failed
on facts answered, or every group settled) needs nothing more, and a fact no still-open clause needs is
not asked (docs/interview.md).

A fact's state in an interview is one of:
* stated (in `facts`): tested as the check tests it;
* declined (asked and left empty: "does not apply"): a condition on it fails, as in the check;
* unsure (answered 不确定): it may hold, so the clause is not decided against; a clause that would fire
  if the unsure facts held goes to an officer (needs review), never guessed eligible;
* open: not asked yet.

`sections` (fact code → section, in questionnaire order) is the vocabulary's grouping, passed in by the
caller because the rule book does not carry it. Sections other than the opening ones are the topics an
applicant can narrow the interview to; a clause's topics are the sections of the facts it tests.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from policy_portal.messages import Message

from .adjustments import FACTS_READ, PRIOR_SUPPORT_FACT, adjust, mark_not_combinable, rewards_an_item
from .adjustments import message as _message
from .check import check
from .compiled import clause_head, group_message, window_message
from .evaluator import clause_in_window, condition_holds
from .operators import FactError, Operator, date_to_days, normalise_facts
from .rulebook import ClauseSpec, Cond, RuleBook

OPENING_SECTIONS = ("organisation", "field")
OPENING_MIN_USE = 3  # an opening question is one many clauses ask (who, where, which field), not tech_enterprise
NOT_TOPICS = frozenset({*OPENING_SECTIONS, "prior_support"})
STEP_SIZE = 5  # questions per step at most
PRIOR_DETAILS = tuple(f for f in FACTS_READ if f != PRIOR_SUPPORT_FACT)

_OPEN, _UNSURE = "open", "unsure"
_REVIEW = str(Operator.REVIEW)


def opening_facts(book: RuleBook, sections: dict[str, str]) -> list[str]:
    """The first questions, whatever else is known: who you are, where, which field."""
    return [f for f, s in sections.items() if s in OPENING_SECTIONS and book.fact_usage.get(f, 0) >= OPENING_MIN_USE]


def clause_topics(clause: ClauseSpec, sections: dict[str, str]) -> frozenset[str]:
    return frozenset(sections[c.fact] for g in clause.groups for c in g
                     if c.fact in sections and sections[c.fact] not in NOT_TOPICS)


def topic_list(book: RuleBook, sections: dict[str, str]) -> list[str]:
    """The sections an applicant can narrow the interview to, in questionnaire order."""
    used = set().union(*(clause_topics(c, sections) for c in book.evaluated_clauses))
    return [s for s in dict.fromkeys(sections.values()) if s in used]


def _condition(cond: Cond, facts: dict, answered: set[str], unsure: set[str], days: int, clause: ClauseSpec):
    if str(cond.operator) == _REVIEW:
        return None
    if cond.fact in facts:  # a stated value wins over a "not sure" for the same fact
        return condition_holds(cond, facts, days, clause)
    if cond.fact in unsure:
        return _UNSURE
    if cond.fact in answered:
        return False  # declined: a condition on a missing fact never holds
    return _OPEN


def _group(group: tuple[Cond, ...], *args):
    states = [_condition(c, *args) for c in group]
    if any(s is True for s in states):
        return True
    if _OPEN in states:
        return _OPEN
    if _UNSURE in states:
        return _UNSURE
    return None if any(s is None for s in states) else False


def clause_state(clause: ClauseSpec, facts: dict, answered: set[str], unsure: set[str], days: int) -> tuple:
    """(state, group states): state is "out" (not in force), "unmet", "open", "unsure" or "fires"."""
    groups = tuple(_group(g, facts, answered, unsure, days, clause) for g in clause.groups)
    if not clause_in_window(clause, days):
        return "out", groups
    if any(g is False for g in groups):
        return "unmet", groups
    if _OPEN in groups:
        return "open", groups
    if _UNSURE in groups:
        return "unsure", groups
    return "fires", groups


def _first_open_fact(clause: ClauseSpec, groups: tuple, facts, answered, unsure, days) -> str:
    for g, state in zip(clause.groups, groups, strict=True):
        if state == _OPEN:
            for c in g:
                if _condition(c, facts, answered, unsure, days, clause) == _OPEN:
                    return c.fact
    raise AssertionError("an open clause has an open fact")


def _engaged(clause: ClauseSpec, groups: tuple, facts: dict, generic: set[str]) -> bool:
    """A specific fact of the clause already holds: ask the rest of it at once rather than one step each."""
    return any(state is True and any(c.fact in facts and c.fact not in generic for c in g)
               for g, state in zip(clause.groups, groups, strict=True))


def relevance(book: RuleBook, raw_facts: dict, as_of: dt.date, *, sections: dict[str, str],
              unsure: Iterable[str] = (), declined: Iterable[str] = (), topics: Iterable[str] | None = None) -> dict:
    """Which facts can still change some clause's answer, and the next ones to ask, in steps.

    `topics` (None: all) narrows the interview to clauses testing facts of those sections. Raises
    FactError naming the field for facts the vocabulary refuses ('facts.<code>', 'unsure', 'declined').
    """
    facts = normalise_facts(book.vocabulary, raw_facts)
    unsure, declined = _codes(book, unsure, "unsure"), _codes(book, declined, "declined")
    answered = set(facts) | declined
    days = date_to_days(as_of)
    chosen = None if topics is None else _topics(book, sections, topics)
    opening = opening_facts(book, sections)
    generic = set(opening)
    states: dict[str, str] = {}
    needed: set[str] = set()
    next_facts: set[str] = set()
    item_open = False
    for clause in book.evaluated_clauses:
        own = clause_topics(clause, sections)
        if chosen and own and not own & chosen:
            states[clause.code] = "out_of_scope"
            continue
        state, groups = clause_state(clause, facts, answered, unsure, days)
        states[clause.code] = state
        if state in ("open", "unsure", "fires") and rewards_an_item(book, clause.code):
            item_open = True
        if state != "open":
            continue
        wanted = [c.fact for g, s in zip(clause.groups, groups, strict=True) if s == _OPEN for c in g
                  if _condition(c, facts, answered, unsure, days, clause) == _OPEN]
        needed.update(wanted)
        if _engaged(clause, groups, facts, generic):
            next_facts.update(wanted)
        else:
            next_facts.add(_first_open_fact(clause, groups, facts, answered, unsure, days))
    if item_open:  # 就新、不重复 reads it for every clause rewarding an item (rules.adjustments)
        prior = _prior_support(facts, answered | unsure)
        needed.update(prior)
        if not any(s == "open" for s in states.values()):
            next_facts.update(prior)  # asked last: only once something rewarding an item may be offered
    order = list(sections) + sorted(set(book.vocabulary) - set(sections))
    first = [f for f in opening if f in needed and f not in answered | unsure]
    steps = [first] if first else _steps([f for f in order if f in next_facts], sections)
    return {
        "as_of": as_of.isoformat(),
        "ruleset_version": book.version,
        "relevant_facts": [f for f in order if f in needed],
        "steps": steps,
        "done": not steps,
        "open_clauses": [c for c, s in states.items() if s == "open"],
        "unsure_clauses": [c for c, s in states.items() if s == "unsure"],
        "out_of_scope": [c for c, s in states.items() if s == "out_of_scope"],
    }


def _prior_support(facts: dict, asked: set[str]) -> list[str]:
    if PRIOR_SUPPORT_FACT not in asked:
        return [PRIOR_SUPPORT_FACT]
    if facts.get(PRIOR_SUPPORT_FACT) not in (None, "none"):
        return [f for f in PRIOR_DETAILS if f not in asked]
    return []


def _steps(ordered: list[str], sections: dict[str, str]) -> list[list[str]]:
    """Short steps: a section's questions together, at most STEP_SIZE a step."""
    steps: list[list[str]] = []
    for fact in ordered:
        if steps and len(steps[-1]) < STEP_SIZE and (
                sections.get(steps[-1][-1]) == sections.get(fact) or len(steps[-1]) + 1 <= STEP_SIZE // 2):
            steps[-1].append(fact)
        else:
            steps.append([fact])
    return steps


def _topics(book: RuleBook, sections: dict[str, str], topics: Iterable[str]) -> set[str]:
    if isinstance(topics, (str, bytes, dict)) or not isinstance(topics, Iterable):
        raise FactError("topics", "invalid_type", expected=Message("expected_list"))
    known = set(topic_list(book, sections))
    for topic in topics:
        if topic not in known:
            raise FactError("topics", "unknown_topic", topic=str(topic)[:60])
    return set(topics)


def _codes(book: RuleBook, codes: Iterable[str], field: str) -> set[str]:
    if isinstance(codes, (str, bytes, dict)) or not isinstance(codes, Iterable):
        raise FactError(field, "invalid_type", expected=Message("expected_list"))
    out = set()
    for code in codes:
        if not isinstance(code, str) or code not in book.vocabulary:
            raise FactError(field, "unknown_fact", fact=str(code)[:60])
        out.add(code)
    return out


# ---------------------------------------------------------------- the answer with "not sure"


def unsure_message(book: RuleBook, fact: str) -> dict:
    spec = book.vocabulary[fact]
    return _message(fact, f"您对“{spec.label_zh}”的回答为“不确定”，须由主管部门核实",
                    f"You answered “not sure” to “{spec.label_en}”; an officer must verify it")


def check_with_unsure(book: RuleBook, raw_facts: dict, as_of: dt.date, unsure: Iterable[str] = ()) -> dict:
    """`check`'s answer, where a clause that fires if the unsure facts hold goes to an officer (needs review)
    with what is uncertain, instead of being a near miss or silently unmet. Without unsure facts: `check`."""
    result = check(book, raw_facts, as_of)
    unsure = _codes(book, unsure, "unsure")
    if not unsure:
        return result
    facts = normalise_facts(book.vocabulary, raw_facts)
    days = date_to_days(as_of)
    answered = set(facts) | (set(book.vocabulary) - unsure)  # what was not unsure is answered (or declined)
    listed = {i["code"] for i in result["eligible"] + result["needs_review"]} | {s["code"] for s in result["superseded"]}
    added = []
    for clause in book.evaluated_clauses:
        if clause.code in listed:
            continue
        state, groups = clause_state(clause, facts, answered, unsure, days)
        if state != "unsure":
            continue
        because, awaiting = [window_message(clause)], []
        for g, s in zip(clause.groups, groups, strict=True):
            if s is True:
                held = next(c for c in g if condition_holds(c, facts, days, clause) is True)
                because.append(_message(held.fact, held.message_zh, held.message_en, held.interpretation))
            elif s == _UNSURE or s is None:
                awaiting.append(group_message(g))
        awaiting += [unsure_message(book, f) for f in dict.fromkeys(
            c.fact for g, s in zip(clause.groups, groups, strict=True) if s == _UNSURE for c in g if c.fact in unsure)]
        added.append({**clause_head(clause), "because": because, "awaiting": awaiting})
    if not added:
        return result
    _, added, held_back = adjust([], added, book, facts, as_of)
    position = {c.code: i for i, c in enumerate(book.clauses)}
    review = sorted(result["needs_review"] + added, key=lambda item: position[item["code"]])
    mark_not_combinable(result["eligible"] + review, book)
    codes = {a["code"] for a in added}
    return {**result, "needs_review": review, "superseded": result["superseded"] + held_back,
            "near_misses": [n for n in result["near_misses"] if n["code"] not in codes]}
