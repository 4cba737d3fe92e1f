"""A RuleBook compiled once into Python: the facts normaliser, the plain evaluator and the explanation.

`rules.evaluator` interprets the condition rows one by one and `rules.check.result_dict` explains
its outcomes: that pair is the reference. This module writes the same rows as Python source, once
per RuleBook (a published book is immutable and cached per process), so that a check costs a few
comparisons per clause instead of a dictionary walk per condition, and builds messages only for the
clauses the answer shows. tests/unit/test_compiled.py proves both give the same answer, value for
value, on the golden cases and on thousands of generated fact sets.

The source is generated from data the database holds (fact codes, condition values), so nothing is
pasted into it as text: every fact code and value reaches it as a constant through `repr` of a
checked type, or through the namespace the source runs in.
"""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from policy_portal.messages import Message

from .adjustments import adjust, mark_not_combinable
from .adjustments import message as _message
from .evaluator import VALIDITY_FACT, like_regex
from .operators import (
    INT_BOUND,
    MAX_LIST,
    MAX_TEXT,
    FactError,
    FactSpec,
    FactType,
    Operator,
    days_to_date,
    normalise_value,
)
from .rulebook import ClauseSpec, Cond, RuleBook

NEAR_MISS_MAX_UNMET = 2
# A fact that this share of the clauses test says little about any one of them (registered in
# Chongqing, organisation type, future-industry field): a clause is a near miss only when the
# applicant stated at least one of its specific facts, so generic answers do not list every clause.
# (1/8: since standards, bases, products and projects are tested on their own field (issue 9), the applicant's
# future-industry field is tested by 7 of 47 clauses and is still a fact about who the applicant is; the
# most used specific fact, leads_innovation_complex, is tested by 5.)
GENERIC_FACT_SHARE = 0.125

_SLOW = object()  # a raw value off the fast path: normalise_value decides (and names the error)
_DATES: dict[str, int] = {}  # "YYYY-MM-DD" -> epoch days, for dates already parsed once
_MAX_DATES = 100_000
MAX_CACHED_PARTS = 4096  # per kind and book: answers' parts by outcome, bounded


def generic_facts(book: RuleBook) -> set[str]:
    threshold = GENERIC_FACT_SHARE * len(book.evaluated_clauses)
    return {f for f, n in book.fact_usage.items() if n >= threshold}


# ---------------------------------------------------------------- normalising


def _fast_normaliser(spec: FactSpec):
    """A function raw -> normalised value for the common, valid inputs, or _SLOW for anything else."""
    t = spec.type
    if t == FactType.BOOL:
        return lambda raw: raw if raw is True or raw is False else _SLOW
    if t in (FactType.INT, FactType.MONEY):
        lo = spec.min_value if spec.min_value is not None else (0 if t == FactType.MONEY else -INT_BOUND)
        hi = spec.max_value if spec.max_value is not None else INT_BOUND
        return lambda raw: raw if type(raw) is int and lo <= raw <= hi else _SLOW
    if t == FactType.RATIO:
        lo = spec.min_value if spec.min_value is not None else 0
        hi = spec.max_value if spec.max_value is not None else 10000

        def ratio(raw):
            if type(raw) is int and lo <= raw * 100 <= hi:
                return raw * 100
            return _SLOW

        return ratio
    if t == FactType.DATE:
        return lambda raw: _DATES.get(raw, _SLOW) if type(raw) is str else _SLOW
    if t == FactType.ENUM:
        choices = frozenset(spec.choices)
        return lambda raw: raw if type(raw) is str and raw in choices else _SLOW
    if t == FactType.MULTI:
        choices = frozenset(spec.choices)

        def multi(raw):
            if type(raw) is list and len(raw) <= MAX_LIST and all(type(v) is str and v in choices for v in raw):
                return sorted(set(raw))
            return _SLOW

        return multi
    if t == FactType.TEXT:
        return lambda raw: raw.strip() if type(raw) is str and len(raw) <= MAX_TEXT else _SLOW
    return lambda raw: _SLOW  # pragma: no cover - FactType is closed


def _slow_only(raw):
    return _SLOW


# ---------------------------------------------------------------- source generation


class _Source:
    """Python source for one book: conditions as expressions over fact variables, constants named safely."""

    def __init__(self, prefix: str = "_k", fact_vars: dict[str, str] | None = None):
        self.prefix = prefix
        self.namespace: dict[str, object] = {}
        self.fact_vars: dict[str, str] = {} if fact_vars is None else fact_vars

    def const(self, value) -> str:
        if type(value) in (bool, int, str) or value is None:
            return repr(value)
        if type(value) is tuple and all(type(item) in (bool, int, str) for item in value):
            return repr(value)
        name = f"{self.prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def var(self, fact: str) -> str:
        if fact not in self.fact_vars:
            self.fact_vars[fact] = f"v{len(self.fact_vars)}"
        return self.fact_vars[fact]

    def condition(self, cond: Cond, clause: ClauseSpec) -> str | None:
        """The condition as a Python expression (True/False); None for `review` (an officer decides).

        A fact that is not stated is None here and makes its condition False, as in rules.evaluator.
        """
        op, x, v = str(cond.operator), cond.value, self.var(cond.fact)
        if op == Operator.REVIEW:
            return None
        if op == Operator.EXISTS:
            return f"{v} is not None"
        if op == Operator.EQ:
            if type(x) is bool:
                return f"{v} is {x!r}"  # a bool fact holds a bool once normalised
            return f"{v} == {self.const(x)}"  # None never equals a condition value
        if op == Operator.NEQ:
            return f"{v} is not None and {v} != {self.const(x)}"
        if op == Operator.IN:
            return f"{v} in {self.const(tuple(x))}"
        if op == Operator.NOT_IN:
            return f"{v} is not None and {v} not in {self.const(tuple(x))}"
        if op in (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE):
            sign = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            return f"{v} is not None and {v} {sign} {self.const(x)}"
        if op == Operator.CONTAINS:
            return f"{v} is not None and {self.const(x)} in {v}"
        if op == Operator.CONTAINS_ALL:
            return " and ".join([f"{v} is not None"] + [f"{self.const(item)} in {v}" for item in x])
        if op == Operator.CONTAINS_ANY:
            return f"{v} is not None and ({' or '.join([f'{self.const(item)} in {v}' for item in x] or ['False'])})"
        if op == Operator.IN_WINDOW:
            end = f" and {v} < {clause.end}" if clause.end is not None else ""
            return f"{v} is not None and {clause.start} <= {v} <= a{end}"
        if op == Operator.LIKE:
            return f"{v} is not None and {self.const(like_regex(x).fullmatch)}({v}) is not None"
        raise ValueError(f"unknown operator {op!r}")

    def group(self, group: tuple[Cond, ...], clause: ClauseSpec) -> tuple[str, bool]:
        """The group's tested conditions OR-ed, and whether it also holds a `review` alternative."""
        tested = [self.condition(c, clause) for c in group]
        parts = [f"({e})" for e in tested if e is not None]
        return (" or ".join(parts) if parts else "False"), len(parts) < len(tested)


def _window(clause: ClauseSpec) -> str:
    return f"{clause.start} <= a" + (f" < {clause.end}" if clause.end is not None else "")


def _group_facts(group: tuple[Cond, ...]) -> list[str]:
    return list(dict.fromkeys(c.fact for c in group))


def _chunks(width: int) -> range:
    return range(0, max(width, 1), 8)


def _table(width: int, masks: list[int], start: int) -> tuple[int, ...]:
    """For each byte value b: the OR of masks[start + k] over the bits k set in b (bits past `width` ignored)."""
    table = []
    for b in range(256):
        acc = 0
        for k in range(8):
            if b >> k & 1 and start + k < width:
                acc |= masks[start + k]
        table.append(acc)
    return tuple(table)


class _Plan:
    """The book laid out as bit masks: facts in code order, distinct tested groups, clauses in catalogue order."""

    def __init__(self, book: RuleBook, generic: set[str]):
        clauses = book.evaluated_clauses
        self.facts = sorted(book.vocabulary)
        self.fact_bit = {f: 1 << k for k, f in enumerate(self.facts)}
        self.src = _Source()
        self.groups: list[tuple[str, list[str]]] = []  # (expression, facts) per distinct tested group
        seen: dict[str, int] = {}
        self.clause_groups: list[list[int | None]] = []  # per clause, per group: its index, or None (review)
        for clause in clauses:
            row = []
            for group in clause.groups:
                expr, has_review = self.src.group(group, clause)
                if has_review:
                    row.append(None)
                    continue
                if expr not in seen or seen[expr] in row:  # a group repeated within a clause counts twice
                    seen[expr] = len(self.groups)
                    self.groups.append((expr, _group_facts(group)))
                row.append(seen[expr])
            self.clause_groups.append(row)
        self.users = [0] * len(self.groups)  # group -> clauses needing it
        for i, row in enumerate(self.clause_groups):
            for j in row:
                if j is not None:
                    self.users[j] |= 1 << i
        self.required = [sum(1 << j for j in row if j is not None) for row in self.clause_groups]
        self.specific = [sum(self.fact_bit[f] for f in {c.fact for g in c_.groups for c in g} if f not in generic)
                         for c_ in clauses]
        self.fact_masks = [sum(self.fact_bit[f] for f in {c.fact for g in c_.groups for c in g}) for c_ in clauses]


def _scan_source(book: RuleBook, plan: _Plan) -> str:
    """def scan(f, a) -> (fired, near, kept, stated, held): what a check answers, mostly in integer operations.

    `held` has bit j set when distinct tested group j holds; `stated` bit k when the k-th fact (in code
    order) is stated. fired: a bit mask of the clauses in their window whose groups all hold. near: for
    each other clause whose specific facts were stated and that misses at most NEAR_MISS_MAX_UNMET
    conditions (its window counting as one), its index. kept: the clauses in their window with no
    group failed on facts all stated (their facts stay relevant); the fired ones are among them.

    Each stated fact runs the one small function that evaluates the groups testing only that fact; a
    group of a fact not stated is False without a test (a condition on a missing fact never holds).
    """
    src = plan.src
    clauses = book.evaluated_clauses
    n_groups, n_clauses, n_facts = len(plan.groups), len(clauses), len(plan.facts)
    single: dict[str, list[int]] = {}
    multi: list[int] = []
    for j, (_expr, facts) in enumerate(plan.groups):
        (single.setdefault(facts[0], []) if len(facts) == 1 else multi).append(j)
    lines = []
    handlers = {}
    for fact, group_ids in single.items():
        name = f"_h{len(handlers)}"
        handlers[fact] = name
        var = src.var(fact)
        lines.append(f"def {name}({var}, a):")
        lines.append("    held = excluded = 0")
        for j in group_ids:
            lines.append(f"    if {plan.groups[j][0]}:")
            lines.append(f"        held |= {1 << j}")
            lines.append("    else:")
            lines.append(f"        excluded |= {plan.users[j]}")
        lines.append("    return held, excluded")
        lines.append("")
    lines += [
        "def scan(f, a):",
        "    held = excluded = stated = 0",
        "    for k, v in f.items():",
        "        bit, h = _FACT.get(k, _NO_FACT)",
        "        stated |= bit",
        "        if h is not None:",
        "            t, x = h(v, a)",
        "            held |= t",
        "            excluded |= x",
    ]
    for j in multi:
        expr, facts = plan.groups[j]
        mask = sum(plan.fact_bit[f] for f in facts)
        lines.append(f"    if stated & {mask}:")
        lines += [f"        {src.var(f)} = f.get({f!r})" for f in facts]
        lines.append(f"        if {expr}:")
        lines.append(f"            held |= {1 << j}")
        lines.append(f"        elif stated & {mask} == {mask}:")
        lines.append(f"            excluded |= {plan.users[j]}")
    windows: dict[str, int] = {}
    for i, clause in enumerate(clauses):
        windows[_window(clause)] = windows.get(_window(clause), 0) | (1 << i)
    lines.append(f"    win = {' | '.join(f'({expr} and {mask})' for expr, mask in windows.items()) or '0'}")
    lines.append(f"    missing = {(1 << n_groups) - 1} & ~held")
    failed = " | ".join(f"_FAILED{c // 8}[missing >> {c} & 255]" for c in _chunks(n_groups))
    lines.append(f"    fired = win & ~({failed})")
    engaged = " | ".join(f"_ENGAGED{c // 8}[stated >> {c} & 255]" for c in _chunks(n_facts))
    lines.append(f"    candidates = ({engaged}) & ~fired")
    lines += [
        "    near = []",
        "    while candidates:",
        "        low = candidates & -candidates",
        "        candidates ^= low",
        "        i = low.bit_length() - 1",
        "        if (_REQUIRED[i] & missing).bit_count() + (not win & low) <= " + str(NEAR_MISS_MAX_UNMET) + ":",
        "            near.append(i)",
        "    return fired, near, win & ~excluded, stated, held",
        "",
    ]
    src.namespace.update({
        "_FACT": {f: (bit, handlers.get(f)) for f, bit in plan.fact_bit.items()},  # handler names, then functions
        "_NO_FACT": (0, None),
        "_REQUIRED": tuple(plan.required),
    })
    for c in _chunks(n_groups):
        src.namespace[f"_FAILED{c // 8}"] = _table(n_groups, plan.users, c)
    for c in _chunks(n_facts):
        engaged_by_fact = [0] * n_facts
        for i, mask in enumerate(plan.specific):
            for k in range(n_facts):
                if mask >> k & 1:
                    engaged_by_fact[k] |= 1 << i
        src.namespace[f"_ENGAGED{c // 8}"] = _table(n_facts, engaged_by_fact, c)
    assert n_clauses == len(plan.required)
    return "\n".join(lines)


def _detail_source(i: int, clause: ClauseSpec) -> tuple[str, dict]:
    """def d<i>(f, a): the clause's conditions as a tuple of groups, each a tuple of True/False/None."""
    src = _Source(prefix=f"_d{i}k")
    groups = []
    for group in clause.groups:
        items = [src.condition(c, clause) for c in group]
        groups.append("(" + "".join(f"{'None' if e is None else f'({e})'}, " for e in items) + ")")
    loads = [f"    {var} = g({fact!r})" for fact, var in src.fact_vars.items()]
    lines = [f"def d{i}(f, a):", "    g = f.get", *loads, f"    return ({''.join(g + ', ' for g in groups)})", ""]
    return "\n".join(lines), src.namespace


def _group_value(results: tuple) -> bool | None:
    if True in results:
        return True
    return None if None in results else False


# ---------------------------------------------------------------- messages


def window_message(c: ClauseSpec) -> dict:
    start = days_to_date(c.start).isoformat()
    if c.end is None:
        return _message(VALIDITY_FACT, f"在政策有效期内（自{start}起）", f"Within the policy's validity (from {start})")
    last = days_to_date(c.end - 1).isoformat()
    return _message(VALIDITY_FACT, f"在政策有效期内（{start}至{last}）", f"Within the policy's validity ({start} to {last})")


def group_message(group: tuple[Cond, ...]) -> dict:
    readings = "; ".join(dict.fromkeys(c.interpretation for c in group if c.interpretation))
    return _message(group[0].fact, " 或 ".join(c.message_zh for c in group), " or ".join(c.message_en for c in group),
                    readings)


def clause_head(c: ClauseSpec) -> dict:
    head = {
        "code": c.code,
        "title_zh": c.title_zh,
        "title_en": c.title_en,
        "kind": c.kind,
        "amount_yuan": c.amount_yuan,
        "amount_kind": c.amount_kind,
        "lead_bureau": c.lead_bureau,
        "bureaus": list(c.bureaus),
        "citation": {"document": c.document, "article": c.article_label, "article_key": c.article_key, "text": c.quote},
    }
    if c.start_estimated:  # FIM prints no publication day: its first day is an estimate (docs/policy-reading.md)
        head["window_start_estimated"] = True
    return head


def supersede(eligible: list[dict], book: RuleBook) -> list[dict]:
    """就新、不重复: where clauses of different documents reward the same achievement, the newer policy applies."""
    by_achievement: dict[str, list[ClauseSpec]] = {}
    for item in eligible:
        spec = book.clause(item["code"])
        if spec.achievement and spec.amount_kind != "none":
            by_achievement.setdefault(spec.achievement, []).append(spec)
    superseded = []
    for specs in by_achievement.values():
        newest = max(s.document_start for s in specs)
        winners = [s for s in specs if s.document_start == newest]
        for s in specs:
            if s.document_start < newest:
                superseded.append(
                    {
                        "code": s.code,
                        "superseded_by": [w.code for w in winners],
                        "reason_zh": "就新、不重复：同一事项适用较新的政策，不重复支持",
                        "reason_en": "Newer policy applies; one achievement is not supported twice (就新、不重复)",
                    }
                )
        if len(winners) > 1:
            for item in eligible:
                if item["code"] in {w.code for w in winners}:
                    item["not_combinable_with"] = [w.code for w in winners if w.code != item["code"]]
    return superseded


# ---------------------------------------------------------------- the compiled book


class Scan(NamedTuple):
    """What one evaluation found (see _scan_source): enough to compare with durable-rules and to explain."""

    fired: int  # bit i: clause i fires
    near: list[int]  # the near misses' clause indices
    kept: int  # bit i: clause i's facts stay relevant
    stated: int  # bit k: the k-th fact in code order is stated
    held: int  # bit j: distinct tested group j holds


def _bits(mask: int) -> list[int]:
    """The indices of the bits set, lowest first."""
    if mask & (mask - 1) == 0:
        return [mask.bit_length() - 1] if mask else []
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class CompiledBook:
    """One RuleBook as Python functions, with every message and heading it can show built once.

    The answer's parts are cached per clause and per outcome (which groups hold): the entries a check
    returns are fresh dicts and lists, but the message dicts inside them are shared: read them, never
    change them.
    """

    def __init__(self, book: RuleBook):
        self.book = book
        self.clauses = book.evaluated_clauses
        self.codes = tuple(c.code for c in self.clauses)
        self.index = {code: i for i, code in enumerate(self.codes)}
        self._vocabulary = book.vocabulary
        self._normalisers = {code: _fast_normaliser(spec) for code, spec in book.vocabulary.items()}
        plan = _Plan(book, generic_facts(book))
        source = _scan_source(book, plan)
        namespace = dict(plan.src.namespace)
        for i, clause in enumerate(self.clauses):
            text, consts = _detail_source(i, clause)
            source += "\n" + text
            namespace.update(consts)
        self.source = source
        exec(compile(source, f"<rulebook v{book.version} {book.checksum[-12:]}>", "exec"), namespace)  # noqa: S102
        namespace["_FACT"].update({fact: (bit, namespace[name] if name else None)
                                   for fact, (bit, name) in namespace["_FACT"].items()})
        self.scan_fn = namespace["scan"]
        self.details = tuple(namespace[f"d{i}"] for i in range(len(self.clauses)))
        self.group_ids = tuple(tuple(row) for row in plan.clause_groups)
        self.has_review = tuple(None in row for row in plan.clause_groups)
        self.required = tuple(plan.required)
        self.windows = tuple((c.start, c.end) for c in self.clauses)
        n_facts = len(plan.facts)
        self._union = tuple(_table(len(self.clauses), plan.fact_masks, c) for c in _chunks(len(self.clauses)))
        self._names = tuple(
            tuple(tuple(plan.facts[c + k] for k in range(8) if b >> k & 1 and c + k < n_facts) for b in range(256))
            for c in _chunks(n_facts)
        )
        self.window_messages = tuple(window_message(c) for c in self.clauses)
        self.group_messages = tuple(tuple(group_message(g) for g in c.groups) for c in self.clauses)
        self.condition_messages = tuple(
            tuple(tuple(_message(cond.fact, cond.message_zh, cond.message_en, cond.interpretation) for cond in g)
                  for g in c.groups)
            for c in self.clauses
        )
        # Only clauses rewarding the same achievement can supersede one another (就新、不重复).
        self.achievements = tuple(c.achievement if c.achievement and c.amount_kind != "none" else ""
                                  for c in self.clauses)
        self._near: dict[tuple, tuple] = {}
        self._fired: dict[tuple, tuple] = {}

    # -- facts

    def normalise(self, facts) -> dict:
        """rules.operators.normalise_facts, with the common valid values taken without a detour."""
        if not isinstance(facts, dict):
            raise FactError("facts", "invalid_type", expected=Message("expected_object"))
        out = {}
        normalisers = self._normalisers
        for code, raw in facts.items():
            fast = normalisers.get(code)
            if fast is None:
                if code not in self._vocabulary:
                    raise FactError(f"facts.{code}", "unknown_fact", fact=code)
                fast = _slow_only  # a fact added to the vocabulary after compiling: the general path
            value = fast(raw)
            if value is _SLOW:
                value = normalise_value(self._vocabulary[code], raw, f"facts.{code}")
                if type(raw) is str and type(value) is int and self._vocabulary[code].type == FactType.DATE:
                    if len(_DATES) >= _MAX_DATES:
                        _DATES.clear()
                    _DATES[raw] = value
            out[code] = value
        return out

    # -- evaluating

    def scan(self, facts: dict, as_of: int) -> Scan:
        return Scan._make(self.scan_fn(facts, as_of))

    def fired_codes(self, facts: dict, as_of: int) -> set[str]:
        return self.codes_of(_bits(self.scan_fn(facts, as_of)[0]))

    @staticmethod
    def fired_indices(mask: int) -> list[int]:
        return _bits(mask)

    def codes_of(self, indices: list[int]) -> set[str]:
        codes = self.codes
        return {codes[i] for i in indices}

    def groups(self, i: int, facts: dict, as_of: int) -> tuple:
        """Clause i's groups as True (met), False (unmet) or None (awaiting an officer), as rules.evaluator says."""
        return tuple(_group_value(r) for r in self.details[i](facts, as_of))

    # -- explaining

    def explain(self, facts: dict, days: int, as_of: dt.date, scan: tuple, fired: list[int]) -> dict:
        """rules.check.result_dict's answer for `scan` (a Scan, or the bare tuple scan_fn returns), built
        only for the clauses it shows. `fired` lists the indices of scan's fired bits."""
        _mask, near_indices, kept, stated, held = scan
        eligible, review = [], []
        for i in fired:
            key = (i, self.details[i](facts, days))
            cached = self._fired.get(key)
            if cached is None:
                cached = _remember(self._fired, key, self._fired_entry(*key))
            status, entry = cached
            item = {**entry, "bureaus": list(entry["bureaus"]), "citation": dict(entry["citation"]),
                    "because": list(entry["because"])}
            if status == "needs_review":
                item["awaiting"] = list(entry["awaiting"])
                review.append(item)
            else:
                eligible.append(item)
        near = []
        for i in near_indices:
            start, end = self.windows[i]
            key = (i, start <= days and (end is None or days < end), held & self.required[i])
            if self.has_review[i]:
                key += tuple(_group_value(r) for r in self.details[i](facts, days))
            cached = self._near.get(key)
            if cached is None:
                cached = _remember(self._near, key, self._near_entry(key))
            near.append(cached)
        if len(near) > 1:
            near.sort(key=_first)
        eligible, review, held_back = adjust(eligible, review, self.book, facts, as_of)
        superseded = []
        achievements = [self.achievements[i] for i in fired if self.achievements[i]]
        if len(achievements) > len(set(achievements)):
            superseded = supersede(eligible + review, self.book)
        superseded += held_back
        mark_not_combinable(eligible + review, self.book)
        if superseded:
            gone = {s["code"] for s in superseded}
            eligible = [e for e in eligible if e["code"] not in gone]
            review = [r for r in review if r["code"] not in gone]
        return {
            "as_of": as_of.isoformat(),
            "ruleset_version": self.book.version,
            "eligible": eligible,
            "needs_review": review,
            "near_misses": [{**entry, "unmet": list(entry["unmet"])} for _, entry in near],
            "superseded": superseded,
            "relevant_facts": self.relevant_facts(stated, kept),
        }

    def _fired_entry(self, i: int, results: tuple) -> tuple[str, dict]:
        because = [self.window_messages[i]]
        awaiting = []
        for j, group in enumerate(results):
            if True in group:
                because.append(self.condition_messages[i][j][group.index(True)])
            elif None in group:
                awaiting.append(self.group_messages[i][j])
        entry = {**clause_head(self.clauses[i]), "because": because}
        if awaiting:
            entry["awaiting"] = awaiting
        return ("needs_review" if awaiting else "eligible"), entry

    def _near_entry(self, key: tuple) -> tuple[tuple[int, int], dict]:
        i, in_window, held = key[0], key[1], key[2]
        if self.has_review[i]:
            groups = key[3:]  # every group's value, from the clause's own conditions
        else:
            groups = tuple(bool(held >> j & 1) for j in self.group_ids[i])
        c = self.clauses[i]
        unmet = ([] if in_window else [self.window_messages[i]]) + [
            self.group_messages[i][j] for j, met in enumerate(groups) if met is False
        ]
        met = sum(1 for g in groups if g is True) + (1 if in_window else 0)
        total = len(groups) + 1
        entry = {"code": c.code, "title_zh": c.title_zh, "title_en": c.title_en, "met": met, "total": total,
                 "unmet": unmet}
        return (total - met, -met), entry

    def relevant_facts(self, stated: int, kept: int) -> list[str]:
        """The stated facts and those of every clause still in play, in code order (bit tables, no sorting)."""
        mask = stated
        for c, table in enumerate(self._union):
            mask |= table[kept >> (8 * c) & 255]
        out: list[str] = []
        for c, table in enumerate(self._names):
            part = mask >> (8 * c) & 255
            if part:
                out.extend(table[part])
        return out


def _first(pair):
    return pair[0]


def _remember(cache: dict, key, value):
    if len(cache) >= MAX_CACHED_PARTS:
        cache.clear()
    cache[key] = value
    return value


def compiled_book(book: RuleBook) -> CompiledBook:
    """The book's compiled form, built on first use and kept with the (immutable) book."""
    compiled = book.__dict__.get("_compiled")
    if compiled is None:
        compiled = book.__dict__["_compiled"] = CompiledBook(book)
    return compiled
