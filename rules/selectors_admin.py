"""Reads behind the rule administration pages and API: versions, their history, previews, checks, the case library."""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from catalogue.models import Bureau, Clause, Document
from jobs.models import Job
from jobs.selectors import job_by_key, job_results
from policy_portal.messages import Message

from .cases import case_changes, library_for, run_case
from .impact import (
    INLINE_SUBJECTS,
    ImpactReport,
    impact_job,
    impact_preview,
    impact_report,
    impact_start,
    subject_keys,
    subjects_for_preview,
)
from .messages import case_failure_message
from .models import Fact, GoldenCase, RuleEvent, RuleVersion
from .selectors import (
    NoPublishedVersion,
    build_rulebook,
    clause_rules,
    current_version,
    rulebook_for_version,
)
from .static_checks import ERROR, SEVERITY_RANK, Finding, static_checks

USERS = ("created_by", "submitted_by", "published_by", "based_on")


def version_list():
    return RuleVersion.objects.select_related(*USERS).order_by("-number")


def version_get(number: int) -> RuleVersion | None:
    return (
        RuleVersion.objects.select_related(*USERS)
        .prefetch_related(Prefetch("events", queryset=RuleEvent.objects.select_related("actor").order_by("created_at", "pk")))
        .filter(number=number)
        .first()
    )


def current_number() -> int | None:
    try:
        return current_version().number
    except NoPublishedVersion:
        return None


def version_clause_rules(version: RuleVersion):
    """The version's clause rules with their bureaus (lead first) and conditions, in catalogue order."""
    return clause_rules(version)


def clause_rule_get(version: RuleVersion, code: str):
    return next(iter(clause_rules(version).filter(clause__code=code)), None)


def reevaluation_job(version: RuleVersion) -> Job | None:
    """The job that evaluated the open applications again after `version` was published (subsidies runs it)."""
    return job_by_key(f"reevaluation:v{version.number}")


def changed_outcomes(job: Job | None) -> list[dict]:
    """What the re-evaluation reported: {reference, clause, organisation, before, after} per changed application."""
    return job_results(job, "changed_items") if job else []


def version_impact(version: RuleVersion) -> ImpactReport:
    """What `version` would change against the current version, for the stored applications and the case library."""
    current = rulebook_for_version(current_version())
    return impact_preview(current=current, draft=build_rulebook(version), subjects=subjects_for_preview())


def version_impact_preview(version: RuleVersion, *, start: bool = True) -> tuple[ImpactReport | None, Job | None]:
    """(report, job): the report at once when the subjects are few (INLINE_SUBJECTS), else the background
    job of the version's current content (started once, when `start`) and its report once it has finished."""
    current = rulebook_for_version(current_version())
    draft = build_rulebook(version)
    job = impact_job(current, draft)
    if job is None:
        keys = subject_keys()
        if len(keys) <= INLINE_SUBJECTS:
            return impact_preview(current=current, draft=draft, subjects=subjects_for_preview()), None
        if not start:
            return None, None
        job = impact_start(current=current, draft=draft, keys=keys)
    return (impact_report(job) if job.finished else None), job


def version_findings(version: RuleVersion, today: dt.date) -> list[Finding]:
    """The static checks, and each case of the library the version fails (an error: publishing would refuse it),
    so the checks never report nothing while the case library would block publication."""
    texts = dict(Document.objects.values_list("code", "full_text"))  # conditions name words of these texts
    book = rulebook_for_version(version)
    findings = static_checks(book, cases=library_for(version), today=today, texts=texts)
    failing = [Finding(ERROR, "case_fails", f.clause, None, Message("finding_case_fails", what=case_failure_message(f)))
               for _case, f in version_case_results(version) if f is not None]
    position = {c.code: i for i, c in enumerate(book.clauses)}
    return sorted(findings + failing, key=lambda f: (SEVERITY_RANK[f.severity], position.get(f.clause, len(position))
                                                     if f.clause else len(position) + 1))


def version_case_results(version: RuleVersion) -> list[tuple]:
    """Every case of the library (as publishing `version` would leave it) and how `version` answers it:
    (case, None) when it passes, (case, CaseFailure) when it does not. The publish gate runs the same cases."""
    book = rulebook_for_version(version)
    return [(case, run_case(book, case)) for case in library_for(version)]


def version_case_changes(version: RuleVersion) -> dict[str, dict]:
    return case_changes(version)


def case_list(*, clause: str | None = None):
    cases = GoldenCase.objects.select_related("clause").order_by("clause__position", "name")
    return cases.filter(clause__code=clause) if clause else cases


def case_get(pk: int) -> GoldenCase | None:
    return GoldenCase.objects.select_related("clause").filter(pk=pk).first()


def evaluated_clauses():
    return Clause.objects.exclude(kind=Clause.Kind.FRAMEWORK).order_by("position").only("code", "title_zh", "title_en")


def bureau_list():
    return Bureau.objects.order_by("level", "pk")


def fact_list():
    return Fact.objects.order_by("section", "position", "code")
