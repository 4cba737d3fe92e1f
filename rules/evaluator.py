"""The plain-Python evaluator of rule rows: the explainer, and the cross-check of durable-rules.

For each clause it reports every condition group as met (True), unmet (False) or
awaiting an officer's judgement (None). A clause "fires" when no group is False; it is
eligible when every group is True, and needs review when some group is None.
"""
from __future__ import annotations

from dataclasses import dataclass

from .operators import Operator
from .patterns import like_regex
from .rulebook import ClauseSpec, Cond, RuleBook

VALIDITY_FACT = "as_of"


@dataclass(frozen=True)
class GroupOutcome:
    conditions: tuple[Cond, ...]
    met: bool | None


@dataclass(frozen=True)
class ClauseOutcome:
    clause: ClauseSpec
    in_window: bool
    groups: tuple[GroupOutcome, ...]

    @property
    def fires(self) -> bool:
        return self.in_window and all(g.met is not False for g in self.groups)

    @property
    def status(self) -> str:
        if not self.fires:
            return "unmet"
        return "needs_review" if any(g.met is None for g in self.groups) else "eligible"

    @property
    def total(self) -> int:
        return len(self.groups) + 1  # + the validity window

    @property
    def met(self) -> int:
        return sum(1 for g in self.groups if g.met is True) + (1 if self.in_window else 0)


def _in_window(v, x, as_of, clause) -> bool:
    # "Newly recognised": on or after the clause's start, before its end, and not after as_of.
    return clause.start <= v <= as_of and (clause.end is None or v < clause.end)


# operator -> test(stated value, condition value, as_of, clause); a missing fact is False before these run
_TESTS = {
    str(Operator.EXISTS): lambda v, x, a, c: True,
    str(Operator.EQ): lambda v, x, a, c: v == x,
    str(Operator.NEQ): lambda v, x, a, c: v != x,
    str(Operator.IN): lambda v, x, a, c: v in x,
    str(Operator.NOT_IN): lambda v, x, a, c: v not in x,
    str(Operator.GT): lambda v, x, a, c: v > x,
    str(Operator.GTE): lambda v, x, a, c: v >= x,
    str(Operator.LT): lambda v, x, a, c: v < x,
    str(Operator.LTE): lambda v, x, a, c: v <= x,
    str(Operator.CONTAINS): lambda v, x, a, c: x in v,
    str(Operator.CONTAINS_ALL): lambda v, x, a, c: all(item in v for item in x),
    str(Operator.CONTAINS_ANY): lambda v, x, a, c: any(item in v for item in x),
    str(Operator.IN_WINDOW): _in_window,
    str(Operator.LIKE): lambda v, x, a, c: like_regex(x).fullmatch(v) is not None,
}
_REVIEW = str(Operator.REVIEW)


def condition_holds(cond: Cond, facts: dict, as_of: int, clause: ClauseSpec) -> bool | None:
    op = str(cond.operator)
    if op == _REVIEW:
        return None
    if cond.fact not in facts:
        return False
    test = _TESTS.get(op)
    if test is None:
        raise ValueError(f"unknown operator {op!r}")
    return test(facts[cond.fact], cond.value, as_of, clause)


def group_holds(group: tuple[Cond, ...], facts: dict, as_of: int, clause: ClauseSpec) -> bool | None:
    results = [condition_holds(c, facts, as_of, clause) for c in group]
    if any(r is True for r in results):
        return True
    if any(r is None for r in results):
        return None
    return False


def clause_in_window(clause: ClauseSpec, as_of: int) -> bool:
    return clause.start <= as_of and (clause.end is None or as_of < clause.end)


def evaluate_clause(clause: ClauseSpec, facts: dict, as_of: int) -> ClauseOutcome:
    groups = tuple(GroupOutcome(g, group_holds(g, facts, as_of, clause)) for g in clause.groups)
    return ClauseOutcome(clause, clause_in_window(clause, as_of), groups)


def evaluate(book: RuleBook, facts: dict, as_of: int) -> list[ClauseOutcome]:
    """Every evaluated clause's outcome, in catalogue order. `facts` must be normalised."""
    return [evaluate_clause(c, facts, as_of) for c in book.evaluated_clauses]


def fired_codes(book: RuleBook, facts: dict, as_of: int) -> set[str]:
    return {o.clause.code for o in evaluate(book, facts, as_of) if o.fires}
