"""What a draft rule version would change: every subject checked under the current and the draft book, and diffed.

Subjects are the cases of the library and whatever the apps above registered in
rules.hooks.impact_subject_sources (subsidies: the stored applications still in play). `impact_preview`
is a pure function of two RuleBooks and the subjects (no clock, no writes); `subjects_for_preview`
gathers them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from .cases import golden_cases
from .check import check
from .engine import engine
from .hooks import impact_subject_sources
from .operators import FactError
from .rulebook import RuleBook

CURRENT, DRAFT = "current", "draft"


@dataclass(frozen=True)
class Subject:
    kind: str  # application | case
    key: str  # the application's reference or the case's name
    facts: dict
    as_of: dt.date
    clause: str = ""  # the clause applied for, or the clause the case is about


@dataclass(frozen=True)
class ClauseState:
    """A clause a subject qualifies for under one book."""

    code: str
    status: str  # eligible | needs_review
    amount_yuan: int | None
    amount_kind: str


@dataclass(frozen=True)
class StatusChange:
    code: str
    before: str
    after: str


@dataclass(frozen=True)
class AmountChange:
    code: str
    before_yuan: int | None
    before_kind: str
    after_yuan: int | None
    after_kind: str


@dataclass(frozen=True)
class SubjectImpact:
    subject: Subject
    gained: tuple[ClauseState, ...]  # as the draft answers
    lost: tuple[ClauseState, ...]  # as the current version answered
    status_changed: tuple[StatusChange, ...]
    amount_changed: tuple[AmountChange, ...]


@dataclass(frozen=True)
class SubjectError:
    subject: Subject
    book: str  # current | draft
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class ImpactReport:
    current_version: int
    draft_version: int
    subjects_evaluated: int
    changes: tuple[SubjectImpact, ...]  # changed subjects only, in the order given
    errors: tuple[SubjectError, ...]

    @property
    def gained(self) -> int:
        return sum(len(c.gained) for c in self.changes)

    @property
    def lost(self) -> int:
        return sum(len(c.lost) for c in self.changes)

    @property
    def status_changes(self) -> int:
        return sum(len(c.status_changed) for c in self.changes)

    @property
    def amount_changes(self) -> int:
        return sum(len(c.amount_changed) for c in self.changes)

    def totals(self) -> dict:
        return {
            "subjects_evaluated": self.subjects_evaluated,
            "subjects_changed": len(self.changes),
            "gained": self.gained,
            "lost": self.lost,
            "status_changes": self.status_changes,
            "amount_changes": self.amount_changes,
            "errors": len(self.errors),
        }

    def as_dict(self) -> dict:
        return {
            "current_version": self.current_version,
            "draft_version": self.draft_version,
            "totals": self.totals(),
            "changes": [dataclasses.asdict(c) for c in self.changes],
            "errors": [dataclasses.asdict(e) for e in self.errors],
        }


def _qualifying(result: dict) -> dict[str, ClauseState]:
    out = {}
    for status in ("eligible", "needs_review"):
        for item in result[status]:
            out[item["code"]] = ClauseState(item["code"], status, item["amount_yuan"], item["amount_kind"])
    return out


def _diff(subject: Subject, before: dict[str, ClauseState], after: dict[str, ClauseState]) -> SubjectImpact:
    both = [code for code in before if code in after]
    return SubjectImpact(
        subject=subject,
        gained=tuple(after[code] for code in after if code not in before),
        lost=tuple(before[code] for code in before if code not in after),
        status_changed=tuple(
            StatusChange(code, before[code].status, after[code].status)
            for code in both if before[code].status != after[code].status
        ),
        amount_changed=tuple(
            AmountChange(code, before[code].amount_yuan, before[code].amount_kind, after[code].amount_yuan,
                         after[code].amount_kind)
            for code in both
            if (before[code].amount_yuan, before[code].amount_kind) != (after[code].amount_yuan, after[code].amount_kind)
        ),
    )


def impact_preview(*, current: RuleBook, draft: RuleBook, subjects: list[Subject]) -> ImpactReport:
    """Check every subject under both books; report the subjects whose answer changes, and who could not be checked."""
    books = {CURRENT: current, DRAFT: draft}
    draft_key = books[DRAFT].engine_key
    draft_was_compiled = draft_key in engine.compiled_keys()
    changes, errors = [], []
    try:
        for subject in subjects:
            answers = {}
            for name, book in books.items():
                try:
                    answers[name] = _qualifying(check(book, subject.facts, subject.as_of))
                except FactError as exc:
                    errors.append(SubjectError(subject, name, exc.field, exc.code, exc.message))
            if len(answers) < 2:
                continue
            impact = _diff(subject, answers[CURRENT], answers[DRAFT])
            if impact.gained or impact.lost or impact.status_changed or impact.amount_changed:
                changes.append(impact)
    finally:
        # An unpublished draft is compiled for this preview only: free it rather than let it evict a live version.
        if draft.checksum.startswith("draft-") and not draft_was_compiled:
            engine.release(draft_key)
    return ImpactReport(current.version, draft.version, len(subjects), tuple(changes), tuple(errors))


def subjects_for_preview() -> list[Subject]:
    """What the apps above registered (stored applications, …), then the library's cases, by name."""
    subjects = [subject for source in impact_subject_sources for subject in source()]
    subjects += [Subject("case", case.name, case.facts, case.as_of, case.clause) for case in golden_cases()]
    return subjects
