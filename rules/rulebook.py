"""A rule version as plain, immutable data: what both evaluators and the compiler read.

Built from the database by `rules.selectors.rulebook_for_version`; nothing here touches
the database, so the engine and the explainer are pure functions of a RuleBook.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .operators import FactSpec, Operator


@dataclass(frozen=True)
class Cond:
    fact: str
    operator: str
    value: object  # normalised (ints for dates and ratios, sorted lists for sets)
    message_zh: str
    message_en: str
    source_document: str = ""  # the document whose words carry it, when not the clause's own
    source_quote: str = ""  # the words it rests on, verbatim
    interpretation: str = ""  # the documented reading it follows where no words settle it


@dataclass(frozen=True)
class ClauseSpec:
    code: str
    document: str
    kind: str
    position: int
    amount_yuan: int | None
    amount_kind: str
    start: int  # epoch days, inclusive
    end: int | None  # epoch days, exclusive
    groups: tuple[tuple[Cond, ...], ...]  # AND of ORs
    lead_bureau: str = ""
    bureaus: tuple[str, ...] = ()
    achievement: str = ""
    document_start: int = 0  # the document's effective_from, for 就新、不重复
    title_zh: str = ""
    title_en: str = ""
    article_key: str = ""
    article_label: str = ""
    quote: str = ""
    achievement_kind: str = ""  # how the rewarded item is identified (catalogue.achievements)
    not_combinable_with: tuple[str, ...] = ()  # clauses that can reward the same item: one of them, not both
    start_estimated: bool = False  # the window starts on an estimated publication day (FIM)
    certain_from: int | None = None  # then: the first day (epoch days) it was certainly in force

    @property
    def evaluated(self) -> bool:
        return self.kind != "framework"


@dataclass(frozen=True)
class RuleBook:
    version: int
    clauses: tuple[ClauseSpec, ...]
    vocabulary: dict[str, FactSpec] = field(hash=False, compare=False)
    checksum: str = ""

    @cached_property
    def engine_key(self) -> str:
        """The name its rules compile under in the engine's one host: unique per version and content."""
        return f"v{self.version}_{self.checksum[-16:]}"

    def clause(self, code: str) -> ClauseSpec:
        for c in self.clauses:
            if c.code == code:
                return c
        raise KeyError(code)

    # A book is immutable, so what is derived from it is computed once (checks run on every request).

    @cached_property
    def evaluated_clauses(self) -> tuple[ClauseSpec, ...]:
        return tuple(c for c in self.clauses if c.evaluated)

    @cached_property
    def fact_usage(self) -> dict[str, int]:
        """How many evaluated clauses test each fact."""
        counts: dict[str, int] = {}
        for c in self.evaluated_clauses:
            for fact in {cond.fact for g in c.groups for cond in g}:
                counts[fact] = counts.get(fact, 0) + 1
        return counts

    @cached_property
    def like_patterns(self) -> tuple[tuple[str, str], ...]:
        """Every distinct (fact, pattern) of the `like` conditions, in a stable order."""
        return tuple(sorted({(c.fact, c.value) for clause in self.evaluated_clauses for g in clause.groups for c in g
                             if c.operator == Operator.LIKE}))
