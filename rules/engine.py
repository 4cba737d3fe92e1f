"""The only module that talks to durable-rules.

It compiles a RuleBook's neutral rows into durable-rules JSON rulesets and evaluates
normalised facts against them, returning the set of clause codes that fired. Each trap
recorded in ../shared/notes/durable-rules.md has a guard here (docs/engine.md):

* post() fires one rule only            -> facts are asserted (assert_fact), never posted.
* unmatched fact + delete_state crashes -> every shard has a catch-all rule; a fact that is
                                           reported unhandled is never deleted.
* state re-firing, action exceptions     -> no Python actions at all: fired rule names are
                                           read from the action messages; state is untouched.
* timer threads of Host crash under load -> durable.lang / durable.engine.Host are never
                                           imported; the C extension is driven directly.
* $nex loops forever                     -> the compiler never emits $nex; every rule and
                                           fact carries the discriminator _t.
* $mt regexes: a Lua-like dialect, and   -> `like` patterns are matched in Python while the
  delete_ruleset does not free them         payload is built, and compiled as a flag test.
* floats with exponents, text compares   -> payloads hold only bool, int (|n| < 2**53) and str,
                                           each checked against its fact's declared type.
* > 64 matches per fact, > 512 rules     -> rulesets are sharded, at most SHARD_SIZE rules each.
* > 1,024 live sessions                  -> one session per evaluation, always deleted,
                                           evaluations serialised by a lock.
* > 255 properties per object            -> payloads are checked against MAX_PROPERTIES.
* leaked ruleset versions                -> compiled versions are reference-counted and
                                           freed with delete_ruleset once unused.
* fork (Celery prefork)                  -> handles belong to the process that compiled them;
                                           a forked child recompiles lazily.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import threading
from dataclasses import dataclass, field

import durable_rules_engine as _dre

from policy_portal.exceptions import DomainError, Unavailable

from .evaluator import like_regex
from .operators import FactType, Operator
from .rulebook import ClauseSpec, Cond, RuleBook

DISCRIMINATOR = "_t"
FACT_KIND = "applicant"
AS_OF_KEY = "_as_of"
SHARD_SIZE = 60  # < 64 matches per fact, far below the 512-rule hang
MAX_PROPERTIES = 250  # durable-rules fails above 255 properties in one object
MAX_SAFE_INT = 2**53
CATCH_ALL = "_catch_all"
AGE_SUFFIX = "__age"
LIKE_PREFIX = "_like"
_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class EngineError(Unavailable):
    """durable-rules refused or failed; the evaluation did not happen (503; `diagnosis` is logged, not shown)."""

    def __init__(self, diagnosis: str):
        super().__init__("engine_unavailable")
        self.diagnosis = diagnosis

    def __str__(self):
        return self.diagnosis


class EngineLimitError(DomainError):
    """The input would cross one of durable-rules' hard limits: the caller's to change (400)."""

    def __init__(self, count: int, limit: int):
        super().__init__("engine_limit", field="facts", count=count, limit=limit)


class EngineDisagreement(EngineError):
    """durable-rules and the plain evaluator fired different clauses for the same input."""


# ---------------------------------------------------------------- compiling


def _set_key(fact: str, item: str) -> str:
    return f"{fact}__{item}"


def _age_key(fact: str) -> str:
    return f"{fact}{AGE_SUFFIX}"


def like_conditions(book: RuleBook) -> dict[tuple[str, str], str]:
    """Every distinct (fact, pattern) of the book's `like` conditions and the payload flag that answers it."""
    return {pair: f"{LIKE_PREFIX}{i}" for i, pair in enumerate(book.like_patterns)}


def _cmp(op: str, key: str, value) -> dict:
    return {op: {key: value}}


def compile_condition(cond: Cond, clause: ClauseSpec, fact_type: str, likes: dict | None = None) -> dict | None:
    """One condition as a durable-rules expression; None when it cannot constrain (review)."""
    f, x, op = cond.fact, cond.value, cond.operator
    if op == Operator.REVIEW:
        return None
    if op == Operator.EXISTS:
        if fact_type == FactType.MULTI:
            raise EngineError("exists is not supported on set facts")
        return {"$ex": {f: 1}}
    if op == Operator.EQ:
        return {f: x}
    if op == Operator.NEQ:
        # a missing attribute never matches $neq (null != "a" is false), as in the evaluator
        return _cmp("$neq", f, x)
    if op == Operator.IN:
        return {"$or": [{f: v} for v in x]}
    if op == Operator.NOT_IN:
        return {"$and": [_cmp("$neq", f, v) for v in x]}
    if op in (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE):
        return _cmp("$" + op, f, x)
    if op == Operator.CONTAINS:
        return {_set_key(f, x): True}
    if op == Operator.CONTAINS_ALL:
        return {"$and": [{_set_key(f, v): True} for v in x]}
    if op == Operator.CONTAINS_ANY:
        return {"$or": [{_set_key(f, v): True} for v in x]}
    if op == Operator.IN_WINDOW:
        parts = [_cmp("$gte", f, clause.start), _cmp("$gte", _age_key(f), 0)]
        if clause.end is not None:
            parts.append(_cmp("$lt", f, clause.end))
        return {"$and": parts}
    if op == Operator.LIKE:
        if likes is None or (f, x) not in likes:
            raise EngineError(f"like pattern {x!r} on {f} is not registered for this book")
        return {likes[(f, x)]: True}
    raise EngineError(f"unknown operator {op!r}")


def compile_clause(clause: ClauseSpec, fact_types: dict[str, str], likes: dict | None = None) -> dict:
    terms: list[dict] = [{DISCRIMINATOR: FACT_KIND}, _cmp("$gte", AS_OF_KEY, clause.start)]
    if clause.end is not None:
        terms.append(_cmp("$lt", AS_OF_KEY, clause.end))
    for group in clause.groups:
        compiled = [compile_condition(c, clause, fact_types[c.fact], likes) for c in group]
        if any(c is None for c in compiled):
            continue  # an alternative awaits an officer's judgement: the group cannot exclude the clause
        terms.append(compiled[0] if len(compiled) == 1 else {"$or": compiled})
    return {"all": [{"m": {"$and": terms}}]}


def compile_rulebook(book: RuleBook) -> list[dict[str, dict]]:
    """The rulebook as durable-rules ruleset definitions, one per shard; rule names are c<index>."""
    fact_types = {code: spec.type for code, spec in book.vocabulary.items()}
    likes = like_conditions(book)
    clauses = book.evaluated_clauses
    shards = []
    for start in range(0, len(clauses), SHARD_SIZE):
        definition = {
            f"c{start + i}": compile_clause(c, fact_types, likes) for i, c in enumerate(clauses[start : start + SHARD_SIZE])
        }
        definition[CATCH_ALL] = {"all": [{"m": {DISCRIMINATOR: FACT_KIND}}]}
        shards.append(definition)
    text = json.dumps(shards, ensure_ascii=False)
    if "$nex" in text:  # pragma: no cover - the compiler above never writes it
        raise EngineError("$nex must never reach durable-rules")
    return shards


# ---------------------------------------------------------------- payloads


def _check_scalar(key: str, value) -> None:
    if isinstance(value, bool) or isinstance(value, str):
        return
    if isinstance(value, int) and -MAX_SAFE_INT < value < MAX_SAFE_INT:
        return
    raise EngineError(f"{key}: only booleans, safe integers and strings may reach durable-rules, got {value!r}")


_PYTHON_TYPES = {
    FactType.BOOL: (bool,),
    FactType.INT: (int,),
    FactType.MONEY: (int,),
    FactType.RATIO: (int,),  # hundredths of a percent
    FactType.DATE: (int,),  # epoch days
    FactType.ENUM: (str,),
    FactType.TEXT: (str,),
}


def _check_type(code: str, fact_type: str, value) -> None:
    """durable-rules compares numbers and strings as text ("99" > 100): a value must have its fact's type."""
    if fact_type == FactType.MULTI:
        ok = isinstance(value, list) and all(isinstance(v, str) and _KEY_RE.match(f"x{v}") for v in value)
    else:
        wanted = _PYTHON_TYPES[fact_type]
        ok = isinstance(value, wanted) and (fact_type == FactType.BOOL or not isinstance(value, bool))
    if not ok:
        raise EngineError(f"{code}: a {fact_type} fact cannot take {value!r} (normalise facts first)")


def build_payload(book: RuleBook, facts: dict, as_of: int) -> dict:
    """Normalised facts as the single durable-rules fact: sets expanded to flags, dates given an age."""
    payload = {DISCRIMINATOR: FACT_KIND, AS_OF_KEY: as_of}
    for code, value in facts.items():
        spec = book.vocabulary.get(code)
        if spec is None or not _KEY_RE.match(code):
            raise EngineError(f"{code}: not in the vocabulary")
        _check_type(code, spec.type, value)
        if spec.type == FactType.MULTI:
            for item in value:
                payload[_set_key(code, item)] = True
            continue
        _check_scalar(code, value)
        payload[code] = value
        if spec.type == FactType.DATE:
            payload[_age_key(code)] = as_of - value
    for (fact, pattern), key in like_conditions(book).items():
        if fact in facts:
            payload[key] = like_regex(pattern).fullmatch(facts[fact]) is not None
    _check_scalar(AS_OF_KEY, as_of)
    if len(payload) + 2 > MAX_PROPERTIES:  # + sid and id
        raise EngineLimitError(len(payload), MAX_PROPERTIES)
    return payload


# ---------------------------------------------------------------- running


@dataclass
class _Compiled:
    key: str
    handles: list
    rule_codes: dict[str, str]  # rule name -> clause code
    users: int = 0
    retired: bool = False
    pid: int = field(default_factory=os.getpid)


class Engine:
    """One per process: compiled rule versions under unique ruleset names, evaluated serially.

    At most `max_compiled` versions stay compiled; the least recently used is freed when
    another is compiled (replaying an old decision recompiles its version in milliseconds).
    """

    def __init__(self, max_compiled: int = 8):
        self._lock = threading.RLock()
        self.max_compiled = max_compiled
        self._compiled: dict[str, _Compiled] = {}  # in least-recently-used order
        self._names = itertools.count(1)
        self._sids = itertools.count(1)
        self._pid = os.getpid()

    def _after_fork(self):
        if os.getpid() != self._pid:
            # Handles are the parent's memory: forget them (never delete), recompile on demand.
            self._compiled = {}
            self._pid = os.getpid()

    def compiled_keys(self) -> list[str]:
        with self._lock:
            self._after_fork()
            return sorted(self._compiled)

    def ensure(self, key: str, book: RuleBook) -> None:
        """Compile `book` under `key` unless this process already has it."""
        with self._lock:
            self._after_fork()
            if key in self._compiled:
                self._compiled[key] = self._compiled.pop(key)  # most recently used last
                return
            shards = compile_rulebook(book)
            handles, codes = [], {}
            clauses = book.evaluated_clauses
            for definition in shards:
                name = f"portal_{re.sub(r'[^A-Za-z0-9_]', '_', key)}_{next(self._names)}"
                try:
                    handles.append(_dre.create_ruleset(name, json.dumps(definition, ensure_ascii=False)))
                except BaseException as exc:
                    for h in handles:
                        _dre.delete_ruleset(h)
                    raise EngineError(f"durable-rules refused the ruleset: {exc}") from exc
                for rule_name in definition:
                    if rule_name != CATCH_ALL:
                        codes[rule_name] = clauses[int(rule_name[1:])].code
            self._compiled[key] = _Compiled(key, handles, codes)
            for old in list(self._compiled.values())[: max(0, len(self._compiled) - self.max_compiled)]:
                self.release(old.key)

    def evaluate(self, key: str, book: RuleBook, facts: dict, as_of: int) -> set[str]:
        """The codes of every clause whose rule fires for these normalised facts on `as_of` (epoch days)."""
        payload = build_payload(book, facts, as_of)
        with self._lock:
            self.ensure(key, book)
            compiled = self._compiled[key]
            compiled.users += 1
            try:
                fired: set[str] = set()
                for handle in compiled.handles:
                    fired |= self._run_one(handle, payload)
                return {compiled.rule_codes[name] for name in fired if name != CATCH_ALL}
            finally:
                compiled.users -= 1
                if compiled.retired and compiled.users == 0:
                    self._free(compiled)

    def _run_one(self, handle, payload: dict) -> set[str]:
        sid = f"e{next(self._sids)}"
        fact = dict(payload, sid=sid, id=1)
        try:
            result = _dre.assert_fact(handle, json.dumps(fact, ensure_ascii=False))
        except BaseException as exc:
            raise EngineError(f"durable-rules failed to assert the facts: {exc}") from exc
        if result[0] == 1:
            # Unhandled: deleting this session would crash the process. The catch-all makes
            # this unreachable; should it happen, leak one session rather than the process.
            raise EngineError("durable-rules did not handle the facts (catch-all missing?)")
        if result[0] == 2:
            raise EngineError("durable-rules saw these facts already in a fresh session")
        fired: set[str] = set()
        try:
            step = _dre.start_action_for_state(handle, result[1])
            message = step[1] if step else None
            while message:
                fired.update(json.loads(message).keys())
                message = _dre.complete_and_start_action(handle, result[1])
        except BaseException as exc:
            raise EngineError(f"durable-rules failed while firing rules: {exc}") from exc
        finally:
            _dre.delete_state(handle, sid)
        return fired

    def release(self, key: str) -> None:
        """Forget a compiled version; its memory is freed once no evaluation uses it."""
        with self._lock:
            self._after_fork()
            compiled = self._compiled.get(key)
            if compiled is None:
                return
            compiled.retired = True
            if compiled.users == 0:
                self._free(compiled)

    def _free(self, compiled: _Compiled) -> None:
        if compiled.pid == os.getpid():
            for handle in compiled.handles:
                _dre.delete_ruleset(handle)
        compiled.handles = []
        self._compiled.pop(compiled.key, None)


engine = Engine()
