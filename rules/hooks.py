"""How the rules kernel tells the apps above it what happened, without importing them.

- `ruleset_published` is sent inside the publishing transaction (sender=RuleVersion, version=, previous=):
  a receiver that records durable work (subsidies starts the re-evaluation job) commits with the
  publication or not at all, so a process dying right after the commit loses nothing.
- `impact_subject_sources`: callables returning Subjects (stored applications, …) that an impact
  preview checks besides the case library; filled by the apps that hold those subjects.
"""
from __future__ import annotations

from typing import Callable

from django.dispatch import Signal

ruleset_published = Signal()

impact_subject_sources: list[Callable[[], list]] = []


def register_impact_subjects(source: Callable[[], list]) -> None:
    if source not in impact_subject_sources:
        impact_subject_sources.append(source)
