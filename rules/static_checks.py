"""Checks an administrator runs on a RuleBook before publishing it: what can never hold, what pays twice, what is unused.

`static_checks` is a pure function of the book (no database, no clock): the caller passes `today`
(for windows that have ended) and the case library (`rules.cases.golden_cases()`) when it wants
those checks. Findings come back in a fixed order: errors, then warnings, then information; within a
severity by the clause's catalogue position (book-wide findings last), then by code.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

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
    message_zh: str
    message_en: str


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


def _shown(conds, spec) -> tuple[str, str]:
    zh = "；".join(f"{_show(c, spec)}（“{c.message_zh}”）" for c in conds)
    en = "; ".join(f"{_show(c, spec)} (“{c.message_en}”)" for c in conds)
    return zh, en


def _clause_findings(clause: ClauseSpec, vocabulary: dict[str, FactSpec]) -> list[Finding]:
    out: list[Finding] = []
    window_empty = _window_empty(clause)
    if window_empty:
        in_window_facts = sorted({c.fact for g in clause.groups for c in g if c.operator == Operator.IN_WINDOW})
        last = days_to_date(clause.end - 1).isoformat()
        first = days_to_date(clause.start).isoformat()
        for fact in in_window_facts or [VALIDITY_FACT]:
            what_zh = f"“{fact}”须在有效期内（in_window），" if fact != VALIDITY_FACT else ""
            what_en = f"{fact} must fall within the window (in_window), but " if fact != VALIDITY_FACT else ""
            out.append(Finding(
                ERROR, "empty_window", clause.code, fact,
                f"{clause.code}：{what_zh}有效期为空（自{first}起、止于{last}），该条款永远不适用。",
                f"{clause.code}: {what_en}the validity window is empty (from {first}, ending {last}); "
                f"the clause can never apply.",
            ))

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
            zh, en = _shown([c], spec)
            out.append(Finding(
                ERROR, "impossible_condition", clause.code, fact,
                f"{clause.code}：条件 {zh} 对任何可填报的值都不成立。",
                f"{clause.code}: the condition {en} holds for no value an applicant can state.",
            ))
        rest = [c for c in conds if c not in impossible]
        if not rest or _satisfiable(rest, spec, clause):
            continue
        pair = next(((a, b) for a, b in combinations(rest, 2) if not _satisfiable([a, b], spec, clause)), None)
        zh, en = _shown(pair or rest, spec)
        out.append(Finding(
            ERROR, "contradictory_conditions", clause.code, fact,
            f"{clause.code}：关于“{fact}”的条件不可能同时成立：{zh}。",
            f"{clause.code}: the conditions on {fact} can never all hold: {en}.",
        ))

    # OR: a group none of whose alternatives can hold alongside the required conditions.
    if not window_empty:
        for group in clause.groups:
            if len(group) < 2 or any(c.operator == Operator.REVIEW for c in group):
                continue
            if any(c.fact in broken for c in group):
                continue
            if all(not _satisfiable(required.get(c.fact, []) + [c], vocabulary.get(c.fact), clause) for c in group):
                facts = {c.fact for c in group}
                zh = " 或 ".join(_shown([c], vocabulary.get(c.fact))[0] for c in group)
                en = " or ".join(_shown([c], vocabulary.get(c.fact))[1] for c in group)
                out.append(Finding(
                    ERROR, "contradictory_conditions", clause.code, facts.pop() if len(facts) == 1 else None,
                    f"{clause.code}：备选条件 {zh} 均与该条款的其他条件矛盾。",
                    f"{clause.code}: none of the alternatives {en} can hold together with the clause's other conditions.",
                ))
    return out


def _ended(clause: ClauseSpec, today: dt.date) -> list[Finding]:
    if clause.end is None or clause.end > date_to_days(today) or _window_empty(clause):
        return []
    last = days_to_date(clause.end - 1).isoformat()
    return [Finding(
        WARNING, "window_ended", clause.code, None,
        f"{clause.code}：有效期已于{last}结束，此后的申报不再适用该条款（过去日期的核查仍可使用）。",
        f"{clause.code}: the validity window ended on {last}; it no longer applies to new checks "
        f"(checks as of earlier dates still use it).",
    )]


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
            why_zh = f"所引原文“{c.source_quote}”不在{document}原文中" if c.source_quote else "未注明所依据的原文"
            why_en = (f"its words “{c.source_quote}” are not in the text of {document}" if c.source_quote
                      else "it names no words of the text")
            out.append(Finding(
                WARNING, "condition_without_words", clause.code, c.fact,
                f"{clause.code}：条件 {_show(c, None)}（“{c.message_zh}”）{why_zh}，也未说明所依据的解读。",
                f"{clause.code}: the condition {_show(c, None)} (“{c.message_en}”): {why_en}, and it follows no "
                "documented interpretation.",
            ))
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
                out.append(Finding(
                    WARNING, "superseded_achievement", older.code, None,
                    f"{older.code}与{newer.code}在重叠的有效期内支持同一事项“{achievement}”；按“就新、不重复”原则，"
                    f"适用较新文件（{newer.document}）的{newer.code}，{older.code}不再对该事项给予支持。",
                    f"{older.code} and {newer.code} reward the same achievement '{achievement}' in overlapping windows; "
                    f"under 就新、不重复 the newer document's clause ({newer.document} {newer.code}) applies and "
                    f"{older.code} is superseded for it.",
                ))
                continue
            where_zh = "同一文件" if a.document == b.document else "同日生效的不同文件"
            where_en = "the same document" if a.document == b.document else "documents taking effect the same day"
            out.append(Finding(
                ERROR, "double_payment", a.code, None,
                f"{a.code}与{b.code}（{where_zh}）在重叠的有效期内对同一事项“{achievement}”给予资金支持，"
                f"同一成果可能获得两次支持。",
                f"{a.code} and {b.code} ({where_en}) both pay for the achievement '{achievement}' in overlapping "
                f"windows: one achievement could be supported twice.",
            ))
    return out


# ---------------------------------------------------------------- the vocabulary and the case library


def _unused_facts(book: RuleBook) -> list[Finding]:
    used = {c.fact for clause in book.evaluated_clauses for g in clause.groups for c in g} | set(FACTS_READ)
    framework = {c.fact for clause in book.clauses if not clause.evaluated for g in clause.groups for c in g}
    out = []
    for code in book.vocabulary:
        if code in used:
            continue
        if code in framework:
            zh = f"事实“{code}”只出现在框架性条款中，框架性条款不参与评估，因此该事实不影响任何结果。"
            en = f"The fact {code} appears only in framework clauses, which are never evaluated: it affects no answer."
        else:
            zh = f"没有条款使用事实“{code}”，申请人填报它不影响任何结果。"
            en = f"No clause uses the fact {code}: stating it changes no answer."
        out.append(Finding(INFO, "unused_fact", None, code, zh, en))
    return out


def _missing_cases(book: RuleBook, cases) -> list[Finding]:
    expected: dict[str, set[str]] = defaultdict(set)
    for case in cases:
        expected[case.clause].add(case.expected)
    out = []
    for clause in book.evaluated_clauses:
        have = expected.get(clause.code, set())
        missing_zh, missing_en = [], []
        if not have & QUALIFYING:
            missing_zh.append("符合条件（eligible 或 needs_review）的案例")
            missing_en.append("a qualifying case (eligible or needs_review)")
        if NOT_QUALIFYING not in have:
            missing_zh.append("不符合条件（not_eligible）的案例")
            missing_en.append("a non-qualifying case (not_eligible)")
        if missing_en:
            out.append(Finding(
                WARNING, "missing_golden_cases", clause.code, None,
                f"{clause.code}：案例库缺少{'和'.join(missing_zh)}，发布前无法验证该条款。",
                f"{clause.code}: the case library lacks {' and '.join(missing_en)}, so publishing cannot verify it.",
            ))
    return out
