"""What would make a clause apply: per unmet group, the cheapest change, with its target value.

A pure function of (rule book, facts, as_of, clause), like the check. Each unmet condition group is
satisfied by any one of its conditions; for each we work out the value that would satisfy it (a date
window, a level, a rating, a threshold) from the rule rows and what it costs: stating a fact not yet
stated costs 1, changing a stated one 2. Some facts cannot be changed by the applicant: where it is
registered and what kind of organisation it is, and a date already past (it happened when it happened);
those are never suggested unless `allow_unchangeable`, and a group that only they can meet is reported
as such. Conditions that await an officer's judgement (review) are not changes.
"""
from __future__ import annotations

import datetime as dt

from policy_portal.exceptions import DomainError
from rules.evaluator import clause_in_window, evaluate_clause
from rules.operators import FactType, Operator, date_to_days, days_to_date, normalise_facts
from rules.rulebook import ClauseSpec, Cond, RuleBook

UNCHANGEABLE_FACTS = frozenset({"registered_in_chongqing", "org_type"})
STATE, CHANGE, UNCHANGEABLE = 1, 2, 10


def _shown(spec, value):
    """A normalised value as the API takes it (ISO dates, percentages)."""
    if spec is None or value is None:
        return value
    if spec.type == FactType.DATE and isinstance(value, int):
        return days_to_date(value).isoformat()
    if spec.type == FactType.RATIO and isinstance(value, int):
        return f"{value / 100:.2f}".rstrip("0").rstrip(".")
    return value


RANK = {"eligible": 2, "needs_review": 1, "unmet": 0}


def _best_of(values, cond: Cond, clause: ClauseSpec, facts: dict, as_of: int):
    """Of values that each meet the condition, the one that leaves the clause best off (the first on a tie):
    a recognition of type `first` also settles the group that would otherwise await an officer."""
    return max(values, key=lambda v: (RANK[evaluate_clause(clause, {**facts, cond.fact: v}, as_of).status],
                                      -list(values).index(v)))


def _target(cond: Cond, spec, current, clause: ClauseSpec, as_of: int, facts: dict):
    """(normalised value that meets the condition or None when it is a range, the target as shown) or None."""
    op, x = str(cond.operator), cond.value
    choices = list(spec.choices) if spec else []
    if op == Operator.EQ:
        return x, {"value": _shown(spec, x)}
    if op == Operator.NEQ:
        other = (not x) if isinstance(x, bool) else next((c for c in choices if c != x), None)
        return (other, {"value": _shown(spec, other)}) if other is not None else None
    if op == Operator.IN:
        best = _best_of(list(x), cond, clause, facts, as_of)
        return best, {"value": _shown(spec, best), "one_of": [_shown(spec, v) for v in x]}
    if op == Operator.NOT_IN:
        others = [c for c in choices if c not in x]
        if not others:
            return None
        best = _best_of(others, cond, clause, facts, as_of)
        return best, {"none_of": list(x), "value": best}
    if op in (Operator.GTE, Operator.GT):
        bound = x if op == Operator.GTE else x + 1
        return bound, {"at_least": _shown(spec, bound)}
    if op in (Operator.LTE, Operator.LT):
        bound = x if op == Operator.LTE else x - 1
        return bound, {"at_most": _shown(spec, bound)}
    if op == Operator.IN_WINDOW:
        last = as_of if clause.end is None else min(as_of, clause.end - 1)
        if last < clause.start:
            return None
        return last, {"from": _shown(spec, clause.start), "to": _shown(spec, last)}
    if op == Operator.EXISTS:
        return None, {"stated": True}
    if op == Operator.CONTAINS:
        return sorted(set(current or []) | {x}), {"includes": [x]}
    if op in (Operator.CONTAINS_ALL, Operator.CONTAINS_ANY):
        wanted = list(x) if op == Operator.CONTAINS_ALL else list(x)[:1]
        return sorted(set(current or []) | set(wanted)), {"includes": wanted}
    if op == Operator.LIKE:
        return None, {"pattern": x}
    return None


def _unchangeable(cond: Cond, spec, facts: dict, as_of: int) -> bool:
    if cond.fact in UNCHANGEABLE_FACTS:
        return True
    # a date that has already happened is history, not a choice
    return bool(spec and spec.type == FactType.DATE and cond.fact in facts and facts[cond.fact] <= as_of)


def what_if(book: RuleBook, raw_facts: dict, as_of: dt.date, clause_code: str, *,
            allow_unchangeable: bool = False) -> dict:
    try:
        clause = book.clause(clause_code)
    except KeyError:
        raise DomainError("unknown_clause", field="clause", clause=clause_code) from None
    if not clause.evaluated:
        raise DomainError("not_applicable", field="clause", clause=clause_code)
    facts = normalise_facts(book.vocabulary, raw_facts)
    days = date_to_days(as_of)
    outcome = evaluate_clause(clause, facts, days)
    changes, blocked, awaiting = [], [], []
    after = dict(facts)
    for index, group in enumerate(outcome.groups):
        if group.met is None:
            awaiting.append({"group": index, "message_zh": " 或 ".join(c.message_zh for c in group.conditions),
                             "message_en": " or ".join(c.message_en for c in group.conditions)})
        if group.met is not False:
            continue
        options = []
        for position, cond in enumerate(group.conditions):
            if str(cond.operator) == Operator.REVIEW:
                continue
            spec = book.vocabulary.get(cond.fact)
            target = _target(cond, spec, facts.get(cond.fact), clause, days, facts)
            if target is None:
                continue
            fixed = _unchangeable(cond, spec, facts, days)
            cost = (STATE if cond.fact not in facts else CHANGE) + (UNCHANGEABLE if fixed else 0)
            options.append((cost, position, cond, spec, target, fixed))
        options.sort(key=lambda o: (o[0], o[1]))
        usable = [o for o in options if allow_unchangeable or not o[5]]
        if not usable:
            blocked.append({"group": index, "facts": sorted({o[2].fact for o in options}),
                            "message_zh": " 或 ".join(c.message_zh for c in group.conditions),
                            "message_en": " or ".join(c.message_en for c in group.conditions)})
            continue
        cost, _position, cond, spec, (value, target), fixed = usable[0]
        if value is not None:
            after[cond.fact] = value
        elif str(cond.operator) == Operator.EXISTS and cond.fact not in after:
            after[cond.fact] = "" if spec and spec.type == FactType.TEXT else None
        changes.append({
            "group": index, "fact": cond.fact, "operator": str(cond.operator),
            "label_zh": spec.label_zh if spec else cond.fact, "label_en": spec.label_en if spec else cond.fact,
            "current": _shown(spec, facts.get(cond.fact)), "target": target, "states_new_fact": cond.fact not in facts,
            "unchangeable": fixed, "message_zh": cond.message_zh, "message_en": cond.message_en,
        })
    after = {k: v for k, v in after.items() if v is not None}
    would = evaluate_clause(clause, after, days)
    return {
        "clause": clause.code, "as_of": as_of.isoformat(), "status": outcome.status,
        "in_window": clause_in_window(clause, days), "changes": changes, "unchangeable": blocked,
        "awaiting": awaiting, "status_after": would.status if not blocked else "unmet",
    }


