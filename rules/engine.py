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
* > 1,024 live sessions                  -> one session per compiled shard, reused: each
                                           evaluation's fact is retracted once its actions are
                                           read (a session in doubt is deleted and replaced);
                                           evaluations serialised by a lock.
* > 255 properties per object            -> payloads are checked against MAX_PROPERTIES.
* leaked ruleset versions                -> compiled versions are reference-counted and
                                           freed with delete_ruleset once unused.
* fork (Celery prefork)                  -> handles belong to the process that compiled them;
                                           a forked child recompiles lazily.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
from json.encoder import encode_basestring as _json_str
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def short_name(name: str) -> str:
    """A short attribute name that depends on the long one only: `k` + 40 bits of its BLAKE2 hash, base32."""
    return "k" + base64.b32encode(hashlib.blake2s(name.encode(), digest_size=5).digest()).decode().lower()


class Keys:
    """The short attribute names rules and payloads use for a book's facts, set items and date ages.

    durable-rules parses every payload and writes the whole fact into each action message: names a
    third as long make both cheaper. A name depends only on its long form (a fact code, fact__item,
    fact__age), so rules compiled from one book and payloads written from another with a grown
    vocabulary still agree; two long names of one book sharing a short one is refused at compile time.
    """

    def __init__(self, book: RuleBook | None = None, *, short: bool = True):
        self.short = short
        if book is not None and short:
            names = [code for code in book.vocabulary]
            names += [_age_key(code) for code, spec in book.vocabulary.items() if spec.type == FactType.DATE]
            names += [_set_key(code, item) for code, spec in book.vocabulary.items() if spec.type == FactType.MULTI
                      for item in spec.choices]
            shorts = [short_name(n) for n in names]
            if len(set(shorts)) != len(shorts):  # pragma: no cover - 40 bits: never seen
                raise EngineError("two attribute names of this rule book share a short name")

    def _name(self, long: str) -> str:
        return short_name(long) if self.short else long

    def fact(self, code: str) -> str:
        return self._name(code)

    def item(self, code: str, item: str) -> str:
        return self._name(_set_key(code, item))

    def age(self, code: str) -> str:
        return self._name(_age_key(code))


def like_conditions(book: RuleBook) -> dict[tuple[str, str], str]:
    """Every distinct (fact, pattern) of the book's `like` conditions and the payload flag that answers it."""
    return {pair: f"{LIKE_PREFIX}{i}" for i, pair in enumerate(book.like_patterns)}


def _cmp(op: str, key: str, value) -> dict:
    return {op: {key: value}}


def compile_condition(cond: Cond, clause: ClauseSpec, fact_type: str, likes: dict | None = None,
                      keys: Keys | None = None) -> dict | None:
    """One condition as a durable-rules expression; None when it cannot constrain (review)."""
    keys = keys or Keys(short=False)
    x, op = cond.value, cond.operator
    f = keys.fact(cond.fact)
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
        return {keys.item(cond.fact, x): True}
    if op == Operator.CONTAINS_ALL:
        return {"$and": [{keys.item(cond.fact, v): True} for v in x]}
    if op == Operator.CONTAINS_ANY:
        return {"$or": [{keys.item(cond.fact, v): True} for v in x]}
    if op == Operator.IN_WINDOW:
        parts = [_cmp("$gte", f, clause.start), _cmp("$gte", keys.age(cond.fact), 0)]
        if clause.end is not None:
            parts.append(_cmp("$lt", f, clause.end))
        return {"$and": parts}
    if op == Operator.LIKE:
        if likes is None or (cond.fact, x) not in likes:
            raise EngineError(f"like pattern {x!r} on {cond.fact} is not registered for this book")
        return {likes[(cond.fact, x)]: True}
    raise EngineError(f"unknown operator {op!r}")


def compile_clause(clause: ClauseSpec, fact_types: dict[str, str], likes: dict | None = None,
                   keys: Keys | None = None) -> dict:
    terms: list[dict] = [{DISCRIMINATOR: FACT_KIND}, _cmp("$gte", AS_OF_KEY, clause.start)]
    if clause.end is not None:
        terms.append(_cmp("$lt", AS_OF_KEY, clause.end))
    for group in clause.groups:
        compiled = [compile_condition(c, clause, fact_types[c.fact], likes, keys) for c in group]
        if any(c is None for c in compiled):
            continue  # an alternative awaits an officer's judgement: the group cannot exclude the clause
        terms.append(compiled[0] if len(compiled) == 1 else {"$or": compiled})
    return {"all": [{"m": {"$and": terms}}]}


def compile_rulebook(book: RuleBook) -> list[dict[str, dict]]:
    """The rulebook as durable-rules ruleset definitions, one per shard; rule names are c<index>."""
    fact_types = {code: spec.type for code, spec in book.vocabulary.items()}
    likes = like_conditions(book)
    keys = Keys(book)
    clauses = book.evaluated_clauses
    shards = []
    for start in range(0, len(clauses), SHARD_SIZE):
        definition = {
            f"c{start + i}": compile_clause(c, fact_types, likes, keys)
            for i, c in enumerate(clauses[start : start + SHARD_SIZE])
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


class PayloadEncoder:
    """`build_payload`, then JSON, in one pass: the same properties and the same refusals, written as text
    under the book's short names (Keys).

    Built once per RuleBook (the engine's hot path; tests/unit/test_engine_fast_path.py proves the text
    decodes to exactly `build_payload`'s dict). Each fact has a small writer chosen by its declared type;
    any value off the fast path goes through `_check_type` / `_check_scalar`, which raise as before.
    """

    def __init__(self, book: RuleBook):
        self._vocabulary = book.vocabulary
        self.keys = Keys(book)
        self._writers = {code: self._writer(code, spec.type) for code, spec in book.vocabulary.items()
                         if _KEY_RE.match(code)}
        self._likes = [(fact, like_regex(pattern).fullmatch, f',"{key}":')
                       for (fact, pattern), key in like_conditions(book).items()]

    def _writer(self, code: str, fact_type: str):
        keys = self.keys
        prefix = f',"{keys.fact(code)}":'
        if fact_type == FactType.BOOL:
            yes, no = prefix + "true", prefix + "false"

            def write(parts, value, as_of):
                if value is True or value is False:
                    parts.append(yes if value else no)
                    return 1
                _check_type(code, fact_type, value)
                raise AssertionError  # pragma: no cover - _check_type raised
        elif fact_type == FactType.DATE:
            age = f',"{keys.age(code)}":'

            def write(parts, value, as_of):
                if type(value) is not int or not -MAX_SAFE_INT < value < MAX_SAFE_INT:
                    _check_type(code, fact_type, value)
                    _check_scalar(code, value)
                parts.append(f"{prefix}{value}{age}{as_of - value}")
                return 2
        elif fact_type in (FactType.INT, FactType.MONEY, FactType.RATIO):
            def write(parts, value, as_of):
                if type(value) is not int or not -MAX_SAFE_INT < value < MAX_SAFE_INT:
                    _check_type(code, fact_type, value)
                    _check_scalar(code, value)
                parts.append(prefix + str(value))
                return 1
        elif fact_type == FactType.MULTI:
            flags: dict[str, str] = {}

            def write(parts, value, as_of):
                if type(value) is not list:
                    _check_type(code, fact_type, value)
                for item in value:
                    flag = flags.get(item) if type(item) is str else None
                    if flag is None:
                        _check_type(code, fact_type, value)
                        flag = f',"{keys.item(code, item)}":true'
                        if len(flags) < 256:  # the choices of a normalised fact; never grow without bound
                            flags[item] = flag
                    parts.append(flag)
                return len(value)
        else:  # enum, text
            texts: dict[str, str] = {}

            def write(parts, value, as_of):
                text = texts.get(value) if type(value) is str else None
                if text is None:
                    if type(value) is not str:
                        _check_type(code, fact_type, value)
                    text = prefix + _json_str(value)
                    if fact_type == FactType.ENUM and len(texts) < 256:  # an enum's few choices, written once
                        texts[value] = text
                parts.append(text)
                return 1
        return write

    def _late_writer(self, code: str):
        """A fact the vocabulary gained after this encoder was built (or none: refused as build_payload does)."""
        spec = self._vocabulary.get(code)
        if spec is None or not _KEY_RE.match(code):
            raise EngineError(f"{code}: not in the vocabulary")
        return self._writer(code, spec.type)

    def encode(self, facts: dict, as_of: int) -> str:
        """The payload as JSON text without its closing brace (the engine appends the session's sid and id)."""
        if type(as_of) is not int:
            _check_scalar(AS_OF_KEY, as_of)
        parts = [f'{{"{DISCRIMINATOR}":"{FACT_KIND}","{AS_OF_KEY}":{as_of}']
        count = 2
        writers = self._writers
        for code, value in facts.items():
            writer = writers.get(code)
            if writer is None:
                writer = self._late_writer(code)
            count += writer(parts, value, as_of)
        for fact, match, prefix in self._likes:
            if fact in facts:
                parts.append(prefix + ("false" if match(facts[fact]) is None else "true"))
                count += 1
        _check_scalar(AS_OF_KEY, as_of)
        if count + 2 > MAX_PROPERTIES:  # + sid and id
            raise EngineLimitError(f"{count} properties: durable-rules accepts at most {MAX_PROPERTIES}")
        return "".join(parts)


def payload_encoder(book: RuleBook) -> PayloadEncoder:
    """The book's encoder, built on first use and kept with the (immutable) book."""
    encoder = book.__dict__.get("_payload_encoder")
    if encoder is None:
        encoder = book.__dict__["_payload_encoder"] = PayloadEncoder(book)
    return encoder


# ---------------------------------------------------------------- running


@dataclass
class _Compiled:
    key: str
    handles: list
    rule_codes: dict[str, str]  # rule name -> clause code
    users: int = 0
    retired: bool = False
    pid: int = field(default_factory=os.getpid)


_forks = [0]  # incremented in a forked child: compiled handles belong to the parent
os.register_at_fork(after_in_child=lambda: _forks.__setitem__(0, _forks[0] + 1))


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
        self._sessions: dict = {}  # shard handle -> the session id its evaluations reuse
        self._pid = os.getpid()
        self._generation = _forks[0]
        self._last_key = None

    def _after_fork(self):
        if os.getpid() != self._pid:
            # Handles are the parent's memory: forget them (never delete), recompile on demand.
            self._compiled = {}
            self._sessions = {}
            self._pid = os.getpid()
            self._generation = _forks[0]
            self._last_key = None

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
        payload = payload_encoder(book).encode(facts, as_of)
        with self._lock:
            compiled = self._compiled.get(key) if self._generation == _forks[0] else None
            if compiled is None:
                self.ensure(key, book)
                compiled = self._compiled[key]
            elif key != self._last_key:
                self._compiled[key] = self._compiled.pop(key)  # most recently used last
            self._last_key = key
            compiled.users += 1
            try:
                handles = compiled.handles
                names = self._run_one(handles[0], payload) if len(handles) == 1 else [
                    name for handle in handles for name in self._run_one(handle, payload)]
                codes = compiled.rule_codes
                return {codes[name] for name in names if name != CATCH_ALL}
            finally:
                compiled.users -= 1
                if compiled.retired and compiled.users == 0:
                    self._free(compiled)

    def _session(self, handle) -> tuple[str, str, str]:
        """(sid, what closes a payload in it, its fact's retraction): one session per shard, reused."""
        session = self._sessions.get(handle)
        if session is None:
            sid = f"e{next(self._sids)}"
            session = self._sessions[handle] = (sid, f',"sid":"{sid}","id":1}}', f'{{"sid":"{sid}","id":1}}')
        return session

    def _drop_session(self, handle, *, delete: bool) -> None:
        """Stop using this shard's session; delete it only when its fact was handled (never after result 1)."""
        session = self._sessions.pop(handle, None)
        if delete and session is not None:
            try:
                _dre.delete_state(handle, session[0])
            except BaseException:  # noqa: BLE001 - a session we cannot delete is leaked, not reused
                pass

    def _run_one(self, handle, payload: str) -> list[str]:
        """Assert `payload` (JSON text without its closing brace) in the shard's session, read, retract."""
        _sid, closing, retraction = self._sessions.get(handle) or self._session(handle)
        try:
            result = _dre.assert_fact(handle, payload + closing)
        except BaseException as exc:
            self._drop_session(handle, delete=False)
            raise EngineError(f"durable-rules failed to assert the facts: {exc}") from exc
        if result[0] == 1:
            # Unhandled: deleting this session would crash the process. The catch-all makes
            # this unreachable; should it happen, leak one session rather than the process.
            self._drop_session(handle, delete=False)
            raise EngineError("durable-rules did not handle the facts (catch-all missing?)")
        if result[0] == 2:
            self._drop_session(handle, delete=True)
            raise EngineError("durable-rules saw these facts already (a fact was not retracted)")
        fired: list[str] = []
        state = result[1]
        try:
            step = _dre.start_action_for_state(handle, state)
            message = step[1] if step else None
            while message:
                # `{"c12":{"m":{…the fact…}}}`: one rule per action; anything unexpected is parsed in full
                name = message[2:message.find('"', 2)]
                if name == CATCH_ALL:
                    pass
                elif name[:1] == "c" and name[1:].isdigit() and message[:2] == '{"':
                    fired.append(name)
                else:
                    fired += _rule_names(message)
                message = _dre.complete_and_start_action(handle, state)
            # A fact is known by its session and id: retracting by them spares re-reading the payload.
            _dre.retract_fact(handle, retraction)
        except BaseException as exc:
            self._drop_session(handle, delete=True)
            raise EngineError(f"durable-rules failed while firing rules: {exc}") from exc
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
                self._drop_session(handle, delete=True)
                _dre.delete_ruleset(handle)
        compiled.handles = []
        self._compiled.pop(compiled.key, None)


def _rule_names(message: str):
    """The rule an action message is for: `{"c12":{"m":{…the fact…}}}` (one rule per action); anything
    unexpected is parsed in full."""
    name = message[2:message.find('"', 2)]
    if message.startswith('{"') and (name == CATCH_ALL or (name[:1] == "c" and name[1:].isdigit())):
        return (name,)
    return json.loads(message).keys()


engine = Engine()
