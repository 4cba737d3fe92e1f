"""The rule book as GoRules zen-engine decisions (JDM), for the engine benchmark only.

Each encoding is a JSON Decision Model that zen-engine evaluates on the normalised facts (dates as
epoch days, ratios in hundredths, sets as lists) plus the check's day; `fired(result)` reads the
codes of the clauses that apply. The semantics are those of rules.evaluator: a fact not stated
makes its conditions false, `review` alternatives never exclude a clause (as in rules.engine).
bench_engine.py checks that every encoding fires exactly what durable-rules fires before timing it.
"""
from __future__ import annotations

import json

from rules.evaluator import like_regex
from rules.operators import Operator
from rules.rulebook import ClauseSpec, Cond, RuleBook

AS_OF = "zen_as_of"  # the check's day in the context; no vocabulary code starts with zen_


def _lit(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    raise TypeError(f"no zen literal for {value!r}")


def _list(values) -> str:
    return "[" + ", ".join(_lit(v) for v in values) + "]"


def condition(cond: Cond, clause: ClauseSpec) -> str | None:
    f, x, op = cond.fact, cond.value, str(cond.operator)
    if op == Operator.REVIEW:
        return None
    if op == Operator.EXISTS:
        return f"{f} != null"
    if op == Operator.EQ:
        return f"{f} == {_lit(x)}"
    if op == Operator.NEQ:
        return f"({f} != null and {f} != {_lit(x)})"
    if op == Operator.IN:
        return f"{f} in {_list(x)}"
    if op == Operator.NOT_IN:
        return f"({f} != null and not ({f} in {_list(x)}))"
    if op in (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE):
        sign = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
        return f"({f} != null and {f} {sign} {_lit(x)})"
    if op == Operator.CONTAINS:
        return f"({f} != null and {_lit(x)} in {f})"
    if op == Operator.CONTAINS_ALL:
        return "(" + " and ".join([f"{f} != null"] + [f"{_lit(v)} in {f}" for v in x]) + ")"
    if op == Operator.CONTAINS_ANY:
        return f"({f} != null and (" + " or ".join(f"{_lit(v)} in {f}" for v in x) + "))"
    if op == Operator.IN_WINDOW:
        end = f" and {f} < {clause.end}" if clause.end is not None else ""
        return f"({f} != null and {f} >= {clause.start} and {f} <= {AS_OF}{end})"
    if op == Operator.LIKE:
        return f"({f} != null and matches({f}, {_lit('(?s)^' + like_regex(x).pattern + '$')}))"
    raise ValueError(op)


def group_tests(clause: ClauseSpec) -> list[str]:
    """The clause's window and each group that can exclude it, as zen expressions (AND-ed by the caller)."""
    tests = [f"{AS_OF} >= {clause.start}" + (f" and {AS_OF} < {clause.end}" if clause.end is not None else "")]
    for group in clause.groups:
        parts = [condition(c, clause) for c in group]
        if any(p is None for p in parts):
            continue  # an alternative awaits an officer: the group cannot exclude the clause
        tests.append("(" + " or ".join(parts) + ")")
    return tests


def _graph(node: dict) -> dict:
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "facts", "position": {"x": 0, "y": 0}},
            {**node, "id": "rules", "name": "rules", "position": {"x": 200, "y": 0}},
            {"id": "out", "type": "outputNode", "name": "fired", "position": {"x": 400, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "rules", "type": "edge"},
            {"id": "e2", "sourceId": "rules", "targetId": "out", "type": "edge"},
        ],
    }


def decision_table(book: RuleBook) -> dict:
    """One decision table, hit policy `collect`: a row per clause, a column per test (empty cells pass)."""
    rows = [group_tests(c) for c in book.evaluated_clauses]
    width = max((len(r) for r in rows), default=1)
    inputs = [{"id": f"i{k}", "name": f"test {k}", "field": ""} for k in range(width)]
    rules = []
    for clause, tests in zip(book.evaluated_clauses, rows):
        rule = {"_id": clause.code, "o": _lit(clause.code)}
        for k in range(width):
            rule[f"i{k}"] = tests[k] if k < len(tests) else ""
        rules.append(rule)
    return _graph({"type": "decisionTableNode", "content": {
        "hitPolicy": "collect", "inputs": inputs, "outputs": [{"id": "o", "name": "code", "field": "code"}],
        "rules": rules}})


def expression_array(book: RuleBook) -> dict:
    """One expression over an array of clause tests: the codes whose test holds."""
    items = ", ".join(f"{{c: {_lit(c.code)}, ok: {' and '.join(group_tests(c))}}}" for c in book.evaluated_clauses)
    return _graph({"type": "expressionNode", "content": {"expressions": [
        {"id": "x", "key": "fired", "value": f"map(filter([{items}], #.ok), #.c)"}]}})


def expression_per_clause(book: RuleBook) -> dict:
    """An expression node with one boolean expression per clause."""
    return _graph({"type": "expressionNode", "content": {"expressions": [
        {"id": f"x{i}", "key": f"c{i}", "value": " and ".join(group_tests(c))}
        for i, c in enumerate(book.evaluated_clauses)]}})


ENCODINGS = {
    "one decision table, collect": decision_table,
    "one expression over an array of clause tests": expression_array,
    "one expression per clause": expression_per_clause,
}


def expressions(book: RuleBook) -> dict:
    """The same tests as zen expressions to compile once (zen.compile_expression): name -> (source, reader)."""
    clauses = book.evaluated_clauses
    tests = [" and ".join(group_tests(c)) for c in clauses]
    items = ", ".join(f"{{c: {_lit(c.code)}, ok: {t}}}" for c, t in zip(clauses, tests))
    return {
        "array of clause tests, filtered": (f"map(filter([{items}], #.ok), #.c)", lambda result: set(result)),
        "array of booleans": ("[" + ", ".join(f"({t})" for t in tests) + "]",
                              lambda result: {clauses[i].code for i, ok in enumerate(result) if ok}),
    }


def fired(name: str, book: RuleBook, response: dict) -> set[str]:
    result = response["result"]
    if name == "one decision table, collect":
        return {row["code"] for row in result}
    if name == "one expression over an array of clause tests":
        return set(result["fired"])
    codes = [c.code for c in book.evaluated_clauses]
    return {codes[int(key[1:])] for key, value in result.items() if value is True}


def decisions(book: RuleBook):
    """(name, zen decision, reader) for each encoding of `book`."""
    import zen

    engine = zen.ZenEngine()
    out = []
    for name, encode in ENCODINGS.items():
        decision = engine.create_decision(json.dumps(encode(book), ensure_ascii=False))
        out.append((name, decision))
    return out


def context(facts: dict, as_of: int) -> dict:
    return {**facts, AS_OF: as_of}
