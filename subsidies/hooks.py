"""What the applications workflow announces to the apps above it, without importing them.

`application_approved` is sent inside the approving transaction (sender=Application, application=,
actor=). A receiver's DomainError refuses the approval: carriers enters a recognition clause's
carrier in its register this way, and if the register refuses the entry, nothing is approved.

`add_application_part` lets an app above declare a part of a clause's application that lives with it (carriers:
IIC-12's 组建方案 (附件1) and the applicant's 附件2 evaluation form). The workflow's submission condition refuses
to submit while a part is incomplete, naming it; the application page links each part for the applicant and
shows it to every stage of reviewers.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

application_approved = Signal()


@dataclass(frozen=True)
class Part:
    """One part of an application as its page shows it."""

    key: str
    title: object  # words (a lazy translation or a Bilingual)
    complete: bool
    missing: object = ""  # what it lacks, in words, when incomplete ("" when complete)
    url: str = ""  # where the viewer opens it ("" when there is nothing for this viewer to open)
    summary: object = ""  # what it holds, for the reviewers (a total, "complete")


# clause code → providers (user or None, app) -> list[Part]; user None: the workflow's check, for nobody's eyes
_PARTS: dict[str, list[Callable]] = {}


def add_application_part(clause: str, provider: Callable) -> None:
    if provider not in _PARTS.setdefault(clause, []):
        _PARTS[clause].append(provider)


def application_parts(user, app) -> list[Part]:
    return [part for provider in _PARTS.get(app.clause.code, ()) for part in provider(user, app)]
