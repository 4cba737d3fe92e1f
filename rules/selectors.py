"""Reads of the rule tables: the facts vocabulary, the current version, and RuleBooks.

Which version is current is asked on every check, so a process remembers the answer with the
version stamp it was read under (see `current_version`): a publication writes a new stamp, and
every process reads the database again once it sees it (within STAMP_TTL seconds).
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch

from policy_portal.exceptions import Unavailable

from .models import ClauseRule, ClauseRuleBureau, Condition, Fact, RuleVersion
from .operators import OPERATORS_BY_TYPE, FactSpec, Operator, date_to_days, normalise_condition_value
from .rulebook import ClauseSpec, Cond, RuleBook

_books: OrderedDict[tuple[int, str], RuleBook] = OrderedDict()  # least recently used first
_books_lock = threading.Lock()
MAX_CACHED_BOOKS = 16


class NoPublishedVersion(Unavailable):
    """Nothing is published yet (503): run `manage.py load_policies`."""

    def __init__(self):
        super().__init__("no_published_version")


def fact_specs() -> dict[str, FactSpec]:
    return {f.code: fact_spec(f) for f in Fact.objects.order_by("section", "position", "code")}


def fact_spec(f: Fact) -> FactSpec:
    return FactSpec(
        code=f.code,
        type=f.type,
        label_zh=f.label_zh,
        label_en=f.label_en,
        choices=tuple(f.choice_values()),
        min_value=f.min_value,
        max_value=f.max_value,
    )


STAMP_KEY = "rules:current-version-stamp"
STAMP_TTL = 0.25  # seconds a process trusts what it read before looking at the stamp again


@dataclass
class _Known:
    stamp: str | None
    version: RuleVersion
    checked: float


_known: _Known | None = None


def _read_current() -> RuleVersion:
    version = (
        RuleVersion.objects.filter(status=RuleVersion.Status.PUBLISHED).order_by("-published_at", "-number").first()
    )
    if version is None:
        raise NoPublishedVersion()
    return version


def _shared_cache() -> bool:
    """The stamp only means something when every process reads the same cache (Redis, not local memory)."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def current_version() -> RuleVersion:
    """The published version with the latest publication: read from the database at most once per stamp.

    Outside a transaction a process answers from memory for STAMP_TTL seconds, then compares the
    shared stamp (one cache read) with the one it read the version under, and reads the database only
    when a publication changed it (without a shared cache: every STAMP_TTL seconds). Inside a
    transaction the database is always asked, so a transaction sees its own publication and a rolled
    back one is never remembered. The RuleVersion returned is shared: read it, never change it.
    """
    global _known
    if connection.in_atomic_block:
        return _read_current()
    known, now = _known, time.monotonic()
    if known is not None and now - known.checked < STAMP_TTL:
        return known.version
    stamp = cache.get(STAMP_KEY) if _shared_cache() else None
    if known is not None and stamp is not None and stamp == known.stamp:
        known.checked = now
        return known.version
    if stamp is None and _shared_cache():
        stamp = uuid.uuid4().hex
        if not cache.add(STAMP_KEY, stamp, timeout=None):
            stamp = cache.get(STAMP_KEY)
    _known = _Known(stamp, _read_current(), now)
    return _known.version


def forget_current_version() -> None:
    """This process reads the current version again on its next check."""
    global _known
    _known = None


def on_ruleset_published(sender, **kwargs) -> None:
    """A new stamp once the publication commits: every process reads the database again."""
    forget_current_version()

    def bump():
        if _shared_cache():
            cache.set(STAMP_KEY, uuid.uuid4().hex, timeout=None)
        forget_current_version()

    transaction.on_commit(bump)


def version_by_number(number: int) -> RuleVersion:
    return RuleVersion.objects.get(number=number)


def clause_rules(version: RuleVersion):
    return (
        ClauseRule.objects.filter(version=version)
        .select_related("clause", "clause__document", "clause__article", "lead_bureau")
        .prefetch_related(
            Prefetch(
                "clauserulebureau_set",
                queryset=ClauseRuleBureau.objects.select_related("bureau").order_by("position"),
                to_attr="ordered_bureaus",
            ),
            Prefetch("conditions", queryset=Condition.objects.order_by("group", "position"), to_attr="ordered_conditions"),
        )
        .order_by("clause__position")
    )


def condition_groups(rule: ClauseRule) -> list[list[Condition]]:
    """A rule's conditions as AND-ed groups of OR-ed alternatives, from the prefetched `ordered_conditions`."""
    groups: dict[int, list[Condition]] = {}
    for condition in rule.ordered_conditions:
        groups.setdefault(condition.group, []).append(condition)
    return [groups[g] for g in sorted(groups)]


EDITABLE_CONDITION_FIELDS = ("fact", "operator", "value", "message_zh", "message_en")
# The words a condition rests on (or the interpretation it follows): optional in edits, carried in content.
SOURCE_FIELDS = ("source_document", "source_quote", "interpretation")


def clause_edit_args(version: RuleVersion, code: str) -> dict:
    """A clause's rule in `version` as the keyword arguments rules.services.clause_rule_edit takes."""
    rule = clause_rules(version).get(clause__code=code)
    return {
        "amount_yuan": rule.amount_yuan,
        "amount_kind": rule.amount_kind,
        "effective_from": rule.effective_from,
        "effective_to": rule.effective_to,
        "bureaus": [b.bureau.short_name_zh for b in rule.ordered_bureaus],
        "conditions": [[{f: getattr(c, "fact_id" if f == "fact" else f) for f in EDITABLE_CONDITION_FIELDS + SOURCE_FIELDS}
                        for c in group] for group in condition_groups(rule)],
    }


def build_rulebook(version: RuleVersion) -> RuleBook:
    vocabulary = fact_specs()
    specs = []
    for rule in clause_rules(version):
        groups: dict[int, list[Cond]] = {}
        for c in rule.ordered_conditions:
            value = normalise_condition_value(vocabulary[c.fact_id], c.operator, c.value)
            groups.setdefault(c.group, []).append(Cond(c.fact_id, c.operator, value, c.message_zh, c.message_en,
                                                       source_document=c.source_document, source_quote=c.source_quote,
                                                       interpretation=c.interpretation))
        clause = rule.clause
        estimated = clause.document.published_on_estimated and rule.effective_from == clause.document.published_on
        specs.append(
            ClauseSpec(
                code=clause.code,
                document=clause.document.code,
                kind=clause.kind,
                position=clause.position,
                amount_yuan=rule.amount_yuan,
                amount_kind=rule.amount_kind,
                start=date_to_days(rule.effective_from),
                end=date_to_days(rule.effective_to) if rule.effective_to else None,
                groups=tuple(tuple(g) for _, g in sorted(groups.items())),
                lead_bureau=rule.lead_bureau.short_name_zh,
                bureaus=tuple(b.bureau.short_name_zh for b in rule.ordered_bureaus),
                achievement=clause.achievement,
                document_start=date_to_days(clause.document.effective_from),
                title_zh=clause.title_zh,
                title_en=clause.title_en,
                article_key=clause.article.key,
                article_label=clause.article.label_zh,
                quote=clause.quote,
                achievement_kind=clause.achievement_kind,
                not_combinable_with=tuple(clause.not_combinable_with or ()),
                start_estimated=estimated,
                certain_from=(date_to_days(clause.document.published_on_latest)
                              if estimated and clause.document.published_on_latest else None),
            )
        )
    clauses = tuple(specs)
    checksum = version.checksum if version.status == RuleVersion.Status.PUBLISHED and version.checksum else ""
    if not checksum:
        # A draft changes while it is edited: key its compiled rules on what it holds right now.
        checksum = "draft-" + hashlib.sha256(repr((clauses, sorted(vocabulary.items()))).encode()).hexdigest()
    return RuleBook(version=version.number, clauses=clauses, vocabulary=vocabulary, checksum=checksum)


def rulebook_for_version(version: RuleVersion) -> RuleBook:
    """Published versions are immutable, so their RuleBook is cached per process; drafts are rebuilt."""
    if version.status != RuleVersion.Status.PUBLISHED:
        return build_rulebook(version)
    key = (version.number, version.checksum)
    with _books_lock:
        book = _books.get(key)
        if book is not None:
            _books.move_to_end(key)
            return book
    book = build_rulebook(version)
    with _books_lock:
        _books[key] = book
        while len(_books) > MAX_CACHED_BOOKS:  # every publication adds a version: keep the recent ones
            _books.popitem(last=False)
    return book


def content_checksum(content) -> str:
    """SHA-256 of canonical JSON: a version's checksum (of version_content) and a fixture row's hash."""
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def version_content(version: RuleVersion) -> list[dict]:
    """A version's rules in the canonical shape whose SHA-256 is its checksum (see subsidies.loading)."""
    out = []
    for rule in clause_rules(version):
        out.append(
            {
                "clause": rule.clause.code,
                "title_zh": rule.clause.title_zh,
                "title_en": rule.clause.title_en,
                "quote": rule.clause.quote,
                "amount_yuan": rule.amount_yuan,
                "amount_kind": rule.amount_kind,
                "effective_from": str(rule.effective_from),
                "effective_to": str(rule.effective_to) if rule.effective_to else None,
                "bureaus": [b.bureau.short_name_zh for b in rule.ordered_bureaus],
                "conditions": [condition_content(c) for c in rule.ordered_conditions],
            }
        )
    return out


def condition_content(c: Condition) -> dict:
    """One condition row in the canonical shape. The source fields appear only when set, so the checksum of a
    version published before conditions named their words is unchanged."""
    row = {"group": c.group, "position": c.position, "fact": c.fact_id, "operator": c.operator,
           "value": c.value, "message_zh": c.message_zh, "message_en": c.message_en}
    row.update({f: getattr(c, f) for f in SOURCE_FIELDS if getattr(c, f)})
    return row


# ---------------------------------------------------------------- facts


def operators_for_type(fact_type: str) -> list[str]:
    """The operators a condition may apply to a fact of this type, in the Operator enum's order."""
    allowed = OPERATORS_BY_TYPE[fact_type]
    return [op for op in Operator.values if op in allowed]


def fact_list(*, version: RuleVersion | None = None) -> list[Fact]:
    """The facts vocabulary in questionnaire order; each fact carries `used_by`: the codes of the
    clauses whose conditions in `version` (default: current) test it, in catalogue order."""
    version = version or current_version()
    used_by: dict[str, list[str]] = {}
    rows = (
        Condition.objects.filter(clause_rule__version=version)
        .order_by("clause_rule__clause__position", "group", "position")
        .values_list("fact_id", "clause_rule__clause__code")
    )
    for fact_code, clause_code in rows:
        codes = used_by.setdefault(fact_code, [])
        if clause_code not in codes:
            codes.append(clause_code)
    facts = list(Fact.objects.order_by("position", "code"))
    for fact in facts:
        fact.used_by = used_by.get(fact.code, [])
    return facts


def fact_choices(code: str) -> list[tuple[str, str, str]]:
    """An enum fact's choices as (value, zh, en)."""
    fact = Fact.objects.filter(code=code).first()
    return [(c["value"], c["zh"], c["en"]) for c in (fact.choices if fact else [])]
