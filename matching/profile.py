"""The effective profile as a pure function: a record's facts and stored (fact, value, source, confirmed) rows.

The effective value of a fact comes from its strongest source (models.STRENGTH); a self-declared value
that disagrees with it is kept and listed as a conflict.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .models import STRENGTH, Source


@dataclass
class Profile:
    facts: dict = field(default_factory=dict)  # fact -> effective raw value
    sources: dict = field(default_factory=dict)  # fact -> (source, confirmed_at)
    conflicts: list = field(default_factory=list)  # {fact, declared, effective, source}
    declared: dict = field(default_factory=dict)  # fact -> the self-declared value


def record_facts(org_type: str, district: str) -> dict:
    return {"org_type": org_type, "registered_in_chongqing": bool(district)}


def combine(base: dict, rows, base_confirmed: dt.datetime | None = None) -> Profile:
    """The effective profile from the record's facts and (fact, value, source, confirmed_at) rows."""
    profile = Profile()
    for fact, value in base.items():
        profile.facts[fact] = value
        profile.sources[fact] = (Source.DERIVED, base_confirmed)
    by_fact: dict[str, list] = {}
    for fact, value, source, confirmed_at in rows:
        by_fact.setdefault(fact, []).append((STRENGTH[source], source, value, confirmed_at))
    for fact, candidates in by_fact.items():
        candidates.sort(key=lambda c: c[0], reverse=True)
        strength, source, value, confirmed_at = candidates[0]
        if fact in base and STRENGTH[Source.DERIVED] >= strength:
            pass  # our own record beats a self-declared org_type
        else:
            profile.facts[fact] = value
            profile.sources[fact] = (source, confirmed_at)
        for _s, other_source, other_value, _c in candidates:
            if other_source == Source.SELF:
                profile.declared[fact] = other_value
                if other_value != profile.facts[fact]:
                    profile.conflicts.append({"fact": fact, "declared": other_value, "effective": profile.facts[fact],
                                              "source": profile.sources[fact][0]})
    return profile
