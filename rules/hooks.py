"""How the rules kernel tells the apps above it what happened, without importing them.

- `ruleset_published` is sent inside the publishing transaction (sender=RuleVersion, version=, previous=):
  a receiver that records durable work (subsidies starts the re-evaluation job) commits with the
  publication or not at all, so a process dying right after the commit loses nothing.
- `impact_subject_sources`: callables returning Subjects (stored applications, …) that an impact
  preview checks besides the case library; filled by the apps that hold those subjects.
- `impact_subject_keyed_sources`: the same subjects by key, for the preview run as a background job:
  name -> (keys(), load(keys) -> Subjects), so that each chunk loads only its own subjects.
"""
from __future__ import annotations

from typing import Callable

from django.dispatch import Signal

ruleset_published = Signal()

impact_subject_sources: list[Callable[[], list]] = []
impact_subject_keyed_sources: dict[str, tuple[Callable[[], list], Callable[[list], list]]] = {}


def register_impact_subjects(source: Callable[[], list]) -> None:
    if source not in impact_subject_sources:
        impact_subject_sources.append(source)


def register_impact_subject_keys(name: str, keys: Callable[[], list], load: Callable[[list], list]) -> None:
    impact_subject_keyed_sources[name] = (keys, load)
