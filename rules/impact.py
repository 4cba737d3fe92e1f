"""What a draft rule version would change: every subject checked under the current and the draft book, and diffed.

Subjects are the cases of the library and whatever the apps above registered in
rules.hooks.impact_subject_sources (subsidies: the stored applications still in play). `impact_preview`
is a pure function of two RuleBooks and the subjects (no clock, no writes); `subjects_for_preview`
gathers them.

Over many subjects the preview is a background job (jobs.services): `impact_start` splits the subjects'
keys into chunks, each chunk loads and checks its own subjects (`impact_chunk`), and `impact_report`
joins what the chunks found. A job is keyed by the draft's content, so an edit starts a new one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

from jobs.models import Job
from jobs.selectors import job_by_key, job_results
from jobs.services import job_start

from .cases import golden_cases
from .check import qualifying
from .engine import engine
from .hooks import impact_subject_keyed_sources, impact_subject_sources
from .operators import FactError
from .rulebook import RuleBook

KIND = "impact"
CHUNK = 2000  # subjects per chunk: a few seconds of checks, few enough chunks that their overhead is small
CASES = "cases"

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


def impact_preview(*, current: RuleBook, draft: RuleBook, subjects: list[Subject], release_draft: bool = True) -> ImpactReport:
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
                    answers[name] = {code: ClauseState(code, status, yuan, kind)
                                     for code, status, yuan, kind in qualifying(book, subject.facts, subject.as_of)}
                except FactError as exc:
                    errors.append(SubjectError(subject, name, exc.field, exc.code, exc.message))
            if len(answers) < 2:
                continue
            impact = _diff(subject, answers[CURRENT], answers[DRAFT])
            if impact.gained or impact.lost or impact.status_changed or impact.amount_changed:
                changes.append(impact)
    finally:
        # An unpublished draft is compiled for this preview only: free it rather than let it evict a live version.
        if release_draft and draft.checksum.startswith("draft-") and not draft_was_compiled:
            engine.release(draft_key)
    return ImpactReport(current.version, draft.version, len(subjects), tuple(changes), tuple(errors))


def subjects_for_preview() -> list[Subject]:
    """What the apps above registered (stored applications, …), then the library's cases, by name."""
    subjects = [subject for source in impact_subject_sources for subject in source()]
    subjects += [Subject("case", case.name, case.facts, case.as_of, case.clause) for case in golden_cases()]
    return subjects


# ---------------------------------------------------------------- as a background job


def _case_subjects(names: list) -> list[Subject]:
    wanted = set(names)
    return [Subject("case", c.name, c.facts, c.as_of, c.clause) for c in golden_cases() if c.name in wanted]


def _sources() -> dict:
    """name -> (keys(), load(keys)): the apps' keyed sources, then the case library."""
    sources = dict(impact_subject_keyed_sources)
    sources[CASES] = (lambda: [c.name for c in golden_cases()], _case_subjects)
    return sources


def subject_keys() -> list[list]:
    """Every subject as [source, key], in the order the preview lists them."""
    return [[name, key] for name, (keys, _load) in _sources().items() for key in keys()]


def impact_key(current: RuleBook, draft: RuleBook) -> str:
    return f"{KIND}:v{draft.version}:{draft.checksum[-24:]}:v{current.version}:{current.checksum[-12:]}"


def impact_start(*, current: RuleBook, draft: RuleBook, keys: list | None = None) -> Job:
    """The preview job of `draft` (its current content) against `current`: one per content, whoever asks twice."""
    keys = subject_keys() if keys is None else keys
    return job_start(kind=KIND, key=impact_key(current, draft), items=keys, label=f"v{draft.version}", chunk_size=CHUNK,
                     params={"current": current.version, "draft": draft.version, "draft_checksum": draft.checksum,
                             "current_checksum": current.checksum})


def impact_job(current: RuleBook, draft: RuleBook) -> Job | None:
    return job_by_key(impact_key(current, draft))


_books: dict[tuple, RuleBook] = {}


def _book(number: int, checksum: str) -> RuleBook | None:
    """The book a job pinned, built once per process; None if the version no longer holds that content."""
    from .models import RuleVersion
    from .selectors import build_rulebook

    key = (number, checksum)
    book = _books.get(key)
    if book is None:
        book = build_rulebook(RuleVersion.objects.get(number=number))
        if book.checksum != checksum:
            return None
        if len(_books) >= 8:
            _books.clear()
        _books[key] = book
    return book


def impact_chunk(job: Job, items: list) -> dict:
    """Check the chunk's subjects under both pinned books; what changed and what could not be checked."""
    current = _book(job.params["current"], job.params["current_checksum"])
    draft = _book(job.params["draft"], job.params["draft_checksum"])
    if current is None or draft is None:
        return {"changed": 0, "stale": True, "changes": [], "errors": []}
    by_source: dict[str, list] = {}
    for name, key in items:
        by_source.setdefault(name, []).append(key)
    subjects = []
    sources = _sources()
    for name, keys in by_source.items():
        subjects += sources[name][1](keys)
    report = impact_preview(current=current, draft=draft, subjects=subjects, release_draft=False)
    changes = [dataclasses.asdict(c) for c in report.changes]
    errors = [dataclasses.asdict(e) for e in report.errors]
    for item in changes + errors:
        item["subject"].pop("facts")  # the report names its subjects; their facts stay where they are kept
    return json.loads(json.dumps({"changed": len(report.changes), "subjects": len(subjects), "changes": changes,
                                  "errors": errors}, ensure_ascii=False, default=str))  # dates as YYYY-MM-DD


def _subject(data: dict) -> Subject:
    return Subject(data["kind"], data["key"], data.get("facts", {}), dt.date.fromisoformat(str(data["as_of"])),
                   data["clause"])


def impact_report(job: Job) -> ImpactReport:
    """The finished job's chunks joined into one report, subjects in the order they were listed."""
    changes = tuple(
        SubjectImpact(
            subject=_subject(c["subject"]),
            gained=tuple(ClauseState(**s) for s in c["gained"]),
            lost=tuple(ClauseState(**s) for s in c["lost"]),
            status_changed=tuple(StatusChange(**s) for s in c["status_changed"]),
            amount_changed=tuple(AmountChange(**a) for a in c["amount_changed"]),
        )
        for c in job_results(job, "changes")
    )
    errors = tuple(SubjectError(**{**e, "subject": _subject(e["subject"])}) for e in job_results(job, "errors"))
    return ImpactReport(job.params["current"], job.params["draft"], job.total, changes, errors)


INLINE_SUBJECTS = 2_000  # about a second of checks: answered within the request; more go to a job
