"""What depends only on the current rule version, built once per process and version.

Pages and read APIs ask the same questions on every request (the catalogue as the current version
states it, the questionnaire of the checker); the answers change only when a version is published
(rules.selectors.current_version notices it through the version stamp). `per_version` keeps such
answers in this process under the current version's key, for at most MAX_AGE seconds (so that a
catalogue text edited without a publication shows within minutes), and bounded in number.

Inside a transaction (a service that has just published, every test) nothing is cached: what it
reads may be rolled back.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, TypeVar

from django.db import connection

from .selectors import NoPublishedVersion, current_version

MAX_ENTRIES = 512
MAX_AGE = 300.0
T = TypeVar("T")

_entries: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def version_key() -> str | None:
    """The current version as a cache key: number, checksum and publication time; None when nothing may be cached."""
    if connection.in_atomic_block:
        return None
    try:
        version = current_version()
    except NoPublishedVersion:
        return None
    return f"{version.number}-{version.checksum[:24]}-{version.published_at.timestamp():.0f}"


def lookup(key: tuple):
    """The value stored under (version key, *key), or None."""
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
        if hit is None or now - hit[0] > MAX_AGE:
            return None
        _entries.move_to_end(key)
        return hit[1]


def store(key: tuple, value: T) -> T:
    with _lock:
        _entries[key] = (time.monotonic(), value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def per_version(parts: tuple, build: Callable[[], T]) -> T:
    """`build()`'s value for the current version and `parts` (e.g. the language), built once per process."""
    vkey = version_key()
    if vkey is None:
        return build()
    key = (vkey, *parts)
    value = lookup(key)
    if value is None:
        value = store(key, build())
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
