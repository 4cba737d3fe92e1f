"""Choices that accounts needs but does not own: the kinds of organisation (the org_type fact of the rules'
vocabulary) and the districts (区县, the catalogue's district bureaus). The apps that own them register a
source in their AppConfig.ready(); accounts reads them without importing those apps."""
from __future__ import annotations

from typing import Callable

# name → callable returning [(value, label_zh, label_en), ...]
_sources: dict[str, Callable[[], list[tuple[str, str, str]]]] = {}


def register_choices(name: str, source: Callable[[], list[tuple[str, str, str]]]) -> None:
    _sources[name] = source


def choices(name: str) -> list[tuple[str, str, str]]:
    source = _sources.get(name)
    return source() if source else []


def values(name: str) -> set[str]:
    return {value for value, _zh, _en in choices(name)}
