"""Synthetic RuleBooks built in Python, for engine tests that must not depend on the fixtures."""
from __future__ import annotations

import uuid

from rules.operators import FactSpec, FactType, Operator
from rules.rulebook import ClauseSpec, Cond, RuleBook

FLAG = "flag"


def clause(code: str, groups, *, position: int = 0, start: int = 0, end: int | None = None, **extra) -> ClauseSpec:
    values = {
        "document": "SYN",
        "kind": "subsidy",
        "amount_yuan": None,
        "amount_kind": "none",
    }
    values.update(extra)
    return ClauseSpec(code=code, position=position, start=start, end=end,
                      groups=tuple(tuple(g) for g in groups), **values)


def cond(fact: str, operator: str, value=None) -> Cond:
    return Cond(fact, operator, value, f"{fact} {operator} {value}", f"{fact} {operator} {value}")


def flag_book(n: int, *, vocabulary: dict[str, FactSpec] | None = None) -> RuleBook:
    """`n` clauses that all require flag == true: one fact {flag: true} matches every one of them."""
    vocab = vocabulary or {FLAG: FactSpec(FLAG, FactType.BOOL)}
    clauses = tuple(clause(f"S-{i}", [[cond(FLAG, Operator.EQ, True)]], position=i) for i in range(n))
    return RuleBook(version=0, clauses=clauses, vocabulary=vocab, checksum=uuid.uuid4().hex)


def unique_key(prefix: str = "t") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"
