"""Demo data for `manage.py seed_demo`: each app registers a seeder in its AppConfig.ready(), so the command
(in subsidies) fills the pages of apps above it without importing them. Seeders run in order, after the demo
users exist, each idempotent (a second run adds nothing)."""
from __future__ import annotations

from collections.abc import Callable

SEEDERS: list[tuple[int, str, Callable[..., str]]] = []


def register_seeder(order: int, name: str, seeder: Callable[..., str]) -> None:
    """`seeder(users=...) -> str`: `users` maps demo usernames to users; it returns a line saying what it made."""
    if all(existing != name for _, existing, _ in SEEDERS):
        SEEDERS.append((order, name, seeder))


def seeders() -> list[tuple[str, Callable[..., str]]]:
    return [(name, seeder) for _, name, seeder in sorted(SEEDERS, key=lambda s: (s[0], s[1]))]
