"""The stored applications as impact-preview subjects, by key: so that each chunk of a preview job loads its own."""
from __future__ import annotations

from rules.impact import Subject

from .models import Application
from .models.applications import Status

SOURCE = "applications"


def _in_play():
    return Application.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])


def application_subject_keys() -> list[int]:
    """The applications still in play (not drafts, not withdrawn), oldest first."""
    return list(_in_play().order_by("pk").values_list("pk", flat=True))


def application_subjects(keys: list[int]) -> list[Subject]:
    rows = _in_play().filter(pk__in=keys).order_by("pk").values_list("reference", "facts", "as_of", "clause__code")
    return [Subject("application", ref, facts, as_of, clause) for ref, facts, as_of, clause in rows]
