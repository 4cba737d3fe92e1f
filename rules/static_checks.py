"""Checks an administrator runs on a RuleBook before publishing it: what can never hold, what pays twice, what is unused.

`static_checks` is a pure function of the book (no database, no clock): the caller passes `today`
(for windows that have ended) and the case library (`rules.cases.golden_cases()`) when it wants
those checks. Findings come back in a fixed order: errors, then warnings, then information; within a
severity by the clause's catalogue position (book-wide findings last), then by code. A finding says
what it found as a code and parameters (rules.messages), put into words in the reader's language.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.utils import translation

from catalogue import display
from catalogue.amounts import amount_differs
from policy_portal.messages import Bilingual, Message

from .adjustments import FACTS_READ
from .evaluator import VALIDITY_FACT, like_regex
from .operators import FactSpec, FactType, Operator, date_to_days, days_to_date
from .rulebook import ClauseSpec, Cond, RuleBook

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
MONETARY_KINDS = {"cap", "fixed", "equity", "unspecified"}
QUALIFYING = {"eligible", "needs_review"}
NOT_QUALIFYING = "not_eligible"

# The bounds normalise_value enforces on stated values, so a condition outside them can never hold.
MAX_NUMBER = 10**15
MAX_RATIO = 10000
MIN_DAY = date_to_days(dt.date(1900, 1, 1))
MAX_DAY = date_to_days(dt.date(2200, 12, 31))
# Ranges no wider than this are enumerated to see whether `neq`/`not_in` exclude every value in them.
ENUMERABLE_RANGE = 10_000


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning | info
    code: str
    clause: str | None
    fact: str | None
    text: Message  # put into words when shown, in the language active then

    @property
    def message(self) -> str:
        return str(self.text)

    @property
    def message_zh(self) -> str:
        with translation.override("zh-hans"):
            return str(self.text)

    @property
    def message_en(self) -> str:
        with translation.override("en"):
            return str(self.text)


def static_checks(book: RuleBook, *, cases=None, today: dt.date | None = None,
                  texts: dict[str, str] | None = None) -> list[Finding]:
    """Every finding on `book`. `cases` (rules.cases.Case list), `today` and `texts` (document code → full text)
    enable the checks that need them."""
    findings: list[Finding] = []
    for clause in book.evaluated_clauses:
        findings += _clause_findings(clause, book.vocabulary)
        if today is not None:
            findings += _ended(clause, today)
        if texts is not None:
            findings += unsourced_conditions(clause, texts)
    findings += amount_findings(book)
    findings += _double_payments(book)
    findings += _unused_facts(book)
    if cases is not None:
        findings += _missing_cases(book, cases)
    position = {c.code: i for i, c in enumerate(book.clauses)}
    return sorted(
        findings,
        key=lambda f: (SEVERITY_RANK[f.severity], position.get(f.clause, len(position)) if f.clause else len(position) + 1,
                       f.code, f.fact or "", f.message_en),
    )


# ---------------------------------------------------------------- conditions that can never hold


@dataclass
class _Domain:
    """The values a fact may still take: a finite set (or None: unrestricted), integer bounds, exclusions."""

    values: set | None = None
    lo: int | None = None
    hi: int | None = None
    excluded: set | None = None
    patterns: tuple[str, ...] = ()

    @classmethod
    def of(cls, spec: FactSpec | None) -> "_Domain":
        if spec is None:
            return cls()
        t = spec.type
        if t == FactType.BOOL:
            return cls(values={True, False})
        if t == FactType.ENUM:
            return cls(values=set(spec.choices))
        if t == FactType.DATE:
            return cls(lo=MIN_DAY, hi=MAX_DAY)
        if t in (FactType.INT, FactType.MONEY, FactType.RATIO):
            lo = spec.min_value if spec.min_value is not None else (0 if t != FactType.INT else None)
            hi = spec.max_value if spec.max_value is not None else (MAX_RATIO if t == FactType.RATIO else MAX_NUMBER)
            return cls(lo=lo, hi=hi)
        return cls()

    def in_range(self, v) -> bool:
        if self.lo is None and self.hi is None:
            return True
        if isinstance(v, bool) or not isinstance(v, int):
            return False
        return (self.lo is None or v >= self.lo) and (self.hi is None or v <= self.hi)

    def matches(self, v) -> bool:
        return all(isinstance(v, str) and like_regex(p).fullmatch(v) for p in self.patterns)

    def empty(self) -> bool:
        excluded = self.excluded or set()
        if self.values is not None:
            return not any(v not in excluded and self.in_range(v) and self.matches(v) for v in self.values)
        if self.lo is not None and self.hi is not None:
            if self.lo > self.hi:
                return True
            width = self.hi - self.lo + 1
            if width <= min(len(excluded), ENUMERABLE_RANGE):
                return all(v in excluded for v in range(self.lo, self.hi + 1))
        return False


def _narrow(domain: _Domain, cond: Cond, clause: ClauseSpec) -> None:
    op, x = cond.operator, cond.value

    def allow(values) -> None:
        domain.values = set(values) if domain.values is None else domain.values & set(values)

    if op == Operator.EQ:
        allow([x])
    elif op == Operator.IN:
        allow(x)
    elif op in (Operator.NEQ, Operator.NOT_IN):
        domain.excluded = (domain.excluded or set()) | ({x} if op == Operator.NEQ else set(x))
    elif op in (Operator.GT, Operator.GTE):
        bound = x + 1 if op == Operator.GT else x
        domain.lo = bound if domain.lo is None else max(domain.lo, bound)
    elif op in (Operator.LT, Operator.LTE):
        bound = x - 1 if op == Operator.LT else x
        domain.hi = bound if domain.hi is None else min(domain.hi, bound)
    elif op == Operator.IN_WINDOW:
        # on or after the clause's start, before its end (and not after as_of, itself inside the window)
        domain.lo = clause.start if domain.lo is None else max(domain.lo, clause.start)
        if clause.end is not None:
            domain.hi = clause.end - 1 if domain.hi is None else min(domain.hi, clause.end - 1)
    elif op == Operator.LIKE:
        domain.patterns += (x,)
    # exists, review and the multi-choice operators (contains*) restrict nothing a value could contradict.


def _satisfiable(conds, spec: FactSpec | None, clause: ClauseSpec) -> bool:
    if spec is not None and spec.type == FactType.MULTI:
        return True  # contains / contains_all / contains_any only ever ask for more choices
    domain = _Domain.of(spec)
    for cond in conds:
        _narrow(domain, cond, clause)
    return not domain.empty()


def _window_empty(clause: ClauseSpec) -> bool:
    return clause.end is not None and clause.end <= clause.start


def _show_value(cond: Cond, spec: FactSpec | None):
    x = cond.value
    if spec is not None and spec.type == FactType.DATE and isinstance(x, int):
        return days_to_date(x).isoformat()
    if spec is not None and spec.type == FactType.RATIO and isinstance(x, int):
        return f"{x / 100:g}%"
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(str(v) for v in x) + "]"
    return x


def _show(cond: Cond, spec: FactSpec | None) -> str:
    if cond.operator in (Operator.IN_WINDOW, Operator.EXISTS, Operator.REVIEW):
        return f"{cond.fact} {cond.operator}"
    return f"{cond.fact} {cond.operator} {_show_value(cond, spec)}"


def _shown(conds, spec) -> Bilingual:
    """Conditions as the finding quotes them: the rule as written, then its message in the reader's language."""
    return Bilingual("；".join(f"{_show(c, spec)}（“{c.message_zh}”）" for c in conds),
                     "; ".join(f"{_show(c, spec)} (“{c.message_en}”)" for c in conds))


def _clause_findings(clause: ClauseSpec, vocabulary: dict[str, FactSpec]) -> list[Finding]:
    out: list[Finding] = []
    window_empty = _window_empty(clause)
    if window_empty:
        in_window_facts = sorted({c.fact for g in clause.groups for c in g if c.operator == Operator.IN_WINDOW})
        last = days_to_date(clause.end - 1).isoformat()
        first = days_to_date(clause.start).isoformat()
        for fact in in_window_facts or [VALIDITY_FACT]:
            text = "finding_empty_window_fact" if fact != VALIDITY_FACT else "finding_empty_window"
            out.append(Finding(ERROR, "empty_window", clause.code, fact,
                               Message(text, clause=clause.code, fact=fact, first=first, last=last)))

    # AND: single-condition groups, by fact.
    required: dict[str, list[Cond]] = defaultdict(list)
    for group in clause.groups:
        if len(group) == 1 and group[0].operator != Operator.REVIEW:
            if window_empty and group[0].operator == Operator.IN_WINDOW:
                continue  # reported above
            required[group[0].fact].append(group[0])
    broken: set[str] = set()
    for fact, conds in required.items():
        spec = vocabulary.get(fact)
        if _satisfiable(conds, spec, clause):
            continue
        broken.add(fact)
        impossible = [c for c in conds if not _satisfiable([c], spec, clause)]
        for c in impossible:
            out.append(Finding(ERROR, "impossible_condition", clause.code, fact,
                               Message("finding_impossible_condition", clause=clause.code, conditions=_shown([c], spec))))
        rest = [c for c in conds if c not in impossible]
        if not rest or _satisfiable(rest, spec, clause):
            continue
        pair = next(((a, b) for a, b in combinations(rest, 2) if not _satisfiable([a, b], spec, clause)), None)
        out.append(Finding(ERROR, "contradictory_conditions", clause.code, fact,
                           Message("finding_contradictory_conditions", clause=clause.code, fact=fact,
                                   conditions=_shown(pair or rest, spec))))

    # OR: a group none of whose alternatives can hold alongside the required conditions.
    if not window_empty:
        for group in clause.groups:
            if len(group) < 2 or any(c.operator == Operator.REVIEW for c in group):
                continue
            if any(c.fact in broken for c in group):
                continue
            if all(not _satisfiable(required.get(c.fact, []) + [c], vocabulary.get(c.fact), clause) for c in group):
                facts = {c.fact for c in group}
                shown = [_shown([c], vocabulary.get(c.fact)) for c in group]
                alternatives = Bilingual(" 或 ".join(b.zh for b in shown), " or ".join(b.en for b in shown))
                out.append(Finding(ERROR, "contradictory_conditions", clause.code, facts.pop() if len(facts) == 1 else None,
                                   Message("finding_contradictory_alternatives", clause=clause.code,
                                           conditions=alternatives)))
    return out


def _ended(clause: ClauseSpec, today: dt.date) -> list[Finding]:
    if clause.end is None or clause.end > date_to_days(today) or _window_empty(clause):
        return []
    last = days_to_date(clause.end - 1).isoformat()
    return [Finding(WARNING, "window_ended", clause.code, None,
                    Message("finding_window_ended", clause=clause.code, last=last))]


# ---------------------------------------------------------------- the words a condition rests on

INTERPRETATION = re.compile(r"^I-\d+: \S")  # "I-3: an event the text does not date …" (docs/policy-reading.md)


def unsourced_conditions(clause: ClauseSpec, texts: dict[str, str]) -> list[Finding]:
    """Conditions that name no words of the text found verbatim in their document (the clause's own, or their
    source_document), unless they follow a documented interpretation ("I-n: reason")."""
    out = []
    for group in clause.groups:
        for c in group:
            document = c.source_document or clause.document
            if c.source_quote and c.source_quote in texts.get(document, ""):
                continue
            if INTERPRETATION.match(c.interpretation or ""):
                continue
            text = (Message("finding_condition_words_not_found", clause=clause.code, conditions=_shown([c], None),
                            quote=c.source_quote, document=document) if c.source_quote
                    else Message("finding_condition_without_words", clause=clause.code, conditions=_shown([c], None)))
            out.append(Finding(WARNING, "condition_without_words", clause.code, c.fact, text))
    return out


# ---------------------------------------------------------------- an amount the text does not state

AMOUNT_DIFFERS = "amount_differs_from_text"


def _amount_words(clause: ClauseSpec) -> Bilingual:
    shown = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            shown[language] = display.amount(clause.amount_yuan, clause.amount_kind)
    return Bilingual(shown["zh-hans"], shown["en"])


def amount_findings(book: RuleBook) -> list[Finding]:
    """Clauses whose amount or kind is not what their quoted words state (最高 80 万元 under a quote of 最高50万元):
    the bureau may set it so, but the reviewer acknowledges each with a reason before publishing."""
    out = []
    for clause in book.evaluated_clauses:
        if not clause.quote:
            continue  # no words to compare with (a book built without its catalogue)
        stated = amount_differs(clause.quote, clause.amount_yuan, clause.amount_kind)
        if stated is None:
            continue
        text = (Message("finding_amount_differs", clause=clause.code, amount=_amount_words(clause),
                        stated="、".join(s.words for s in stated)) if stated
                else Message("finding_amount_without_text", clause=clause.code, amount=_amount_words(clause)))
        out.append(Finding(WARNING, AMOUNT_DIFFERS, clause.code, None, text))
    return out


# ---------------------------------------------------------------- one achievement paid twice


def _overlap(a: ClauseSpec, b: ClauseSpec) -> bool:
    start = max(a.start, b.start)
    ends = [e for e in (a.end, b.end) if e is not None]
    return not ends or start < min(ends)


def _double_payments(book: RuleBook) -> list[Finding]:
    by_achievement: dict[str, list[ClauseSpec]] = defaultdict(list)
    for clause in book.evaluated_clauses:
        if clause.achievement and clause.amount_kind in MONETARY_KINDS:
            by_achievement[clause.achievement].append(clause)
    out = []
    for achievement, clauses in by_achievement.items():
        for a, b in combinations(clauses, 2):
            if not _overlap(a, b):
                continue
            if a.document != b.document and a.document_start != b.document_start:
                older, newer = sorted((a, b), key=lambda c: c.document_start)
                out.append(Finding(WARNING, "superseded_achievement", older.code, None,
                                   Message("finding_superseded_achievement", older=older.code, newer=newer.code,
                                           achievement=achievement, document=newer.document)))
                continue
            where = Message("finding_same_document" if a.document == b.document else "finding_same_day")
            out.append(Finding(ERROR, "double_payment", a.code, None,
                               Message("finding_double_payment", first=a.code, second=b.code, where=where,
                                       achievement=achievement)))
    return out


# ---------------------------------------------------------------- the vocabulary and the case library


def _unused_facts(book: RuleBook) -> list[Finding]:
    used = {c.fact for clause in book.evaluated_clauses for g in clause.groups for c in g} | set(FACTS_READ)
    framework = {c.fact for clause in book.clauses if not clause.evaluated for g in clause.groups for c in g}
    out = []
    for code in book.vocabulary:
        if code in used:
            continue
        text = "finding_framework_fact" if code in framework else "finding_unused_fact"
        out.append(Finding(INFO, "unused_fact", None, code, Message(text, fact=code)))
    return out


def _missing_cases(book: RuleBook, cases) -> list[Finding]:
    expected: dict[str, set[str]] = defaultdict(set)
    for case in cases:
        expected[case.clause].add(case.expected)
    out = []
    for clause in book.evaluated_clauses:
        have = expected.get(clause.code, set())
        missing = []
        if not have & QUALIFYING:
            missing.append(Message("finding_qualifying_case"))
        if NOT_QUALIFYING not in have:
            missing.append(Message("finding_non_qualifying_case"))
        if missing:
            out.append(Finding(WARNING, "missing_golden_cases", clause.code, None,
                               Message("finding_missing_golden_cases", clause=clause.code, missing=missing)))
    return out
