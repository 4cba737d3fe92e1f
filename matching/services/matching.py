"""Matching as chunked jobs: which clauses each organisation qualifies for, kept as matches.

A run is a `jobs` job (kind "matching") over organisation ids, recorded in the transaction of what called
for it: a publication (rules.hooks.ruleset_published, key `matching:v<n>`), a list import, a profile
change. Each chunk reads its organisations, their stored facts, their matches and their members in a fixed
number of queries, checks each organisation with `rules.check.check` under the job's version and day, and
writes new matches, refreshed ones and expired ones with its `done` mark in one transaction
(jobs.services.chunk_run): a chunk retried after a worker died finds it done and does nothing, and a
notification is keyed by (organisation, clause, rule version), so it is never sent twice.
"""
from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Organisation, Role
from catalogue.models import Clause
from jobs.models import Job
from jobs.services import job_start
from notifications.services import notify
from policy_portal.exceptions import DomainError
from rules.check import check
from rules.compiled import generic_facts
from rules.models import RuleVersion
from rules.rulebook import RuleBook
from rules.selectors import current_version, rulebook_for_version

from ..models import ClauseMatching, Match, OrganisationFact
from ..profile import combine, record_facts

KIND = "matching"
CHUNK_SIZE = 1000
NOTIFY_KIND = "matching.new"


def _today() -> dt.date:
    return timezone.localdate()


def matching_start(*, key: str, organisation_ids: list[int], version: RuleVersion, trigger: str,
                   as_of: dt.date | None = None, chunk_size: int | None = None) -> Job:
    """The matching job `key` over these organisations, under `version` on `as_of`: once per key."""
    ids = sorted(set(organisation_ids))
    return job_start(kind=KIND, key=key, items=ids, label=f"v{version.number} {trigger}",
                     params={"version": version.number, "as_of": (as_of or _today()).isoformat(), "trigger": trigger},
                     chunk_size=chunk_size or CHUNK_SIZE)


def matching_start_for(*, organisation_ids: list[int], trigger: str, key: str = "") -> Job | None:
    """Match these organisations again under the current version (a profile change, an import)."""
    try:
        version = current_version()
    except DomainError:
        return None  # nothing published: nothing to match against yet
    key = key or f"{KIND}:{trigger}:{uuid.uuid4().hex}"
    return matching_start(key=key, organisation_ids=organisation_ids, version=version, trigger=trigger)


def matching_start_all(*, version: RuleVersion | None = None, trigger: str = "full",
                       chunk_size: int | None = None) -> Job:
    """Every organisation, again (a scheduled full run, the benchmark)."""
    version = version or current_version()
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    return matching_start(key=f"{KIND}:{trigger}:v{version.number}:{uuid.uuid4().hex[:12]}", organisation_ids=ids,
                          version=version, trigger=trigger, chunk_size=chunk_size)


def matching_daily() -> Job | None:
    """Every organisation again once a day: windows open and close with the date (the key is the day's)."""
    try:
        version = current_version()
    except DomainError:
        return None
    today = _today()
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    return matching_start(key=f"{KIND}:daily:{today.isoformat()}", organisation_ids=ids, version=version,
                          trigger="daily", as_of=today)


def changed_clauses(book: RuleBook, previous: RuleBook | None) -> set[str] | None:
    """Codes of the clauses added, removed or changed between two books; None when there is no previous one."""
    if previous is None:
        return None
    now = {c.code: c for c in book.evaluated_clauses}
    before = {c.code: c for c in previous.evaluated_clauses}
    return {code for code in now.keys() | before.keys() if now.get(code) != before.get(code)}


def affected_organisations(book: RuleBook, previous: RuleBook | None) -> list[int]:
    """Those whose matches a publication can change: every organisation holding a fact that a changed clause
    tests (beyond who and where it is), and every one matched to a changed clause."""
    changed = changed_clauses(book, previous)
    everyone = Organisation.objects.order_by("pk").values_list("pk", flat=True)
    if changed is None:
        return list(everyone)
    if not changed:
        return []
    specs = [c for b in (book, previous) for c in b.evaluated_clauses if c.code in changed]
    facts = {cond.fact for c in specs for g in c.groups for cond in g} - generic_facts(book)
    if not facts:
        return list(everyone)
    ids = set(OrganisationFact.objects.filter(fact__in=facts, organisation__isnull=False)
              .values_list("organisation_id", flat=True))
    ids |= set(Match.objects.filter(clause__code__in=changed).values_list("organisation_id", flat=True))
    ids |= _register_holders(None)
    return sorted(ids)


def on_ruleset_published(sender, *, version: RuleVersion, previous: RuleVersion | None = None, **kwargs) -> None:
    book = rulebook_for_version(version)
    before = rulebook_for_version(previous) if previous is not None else None
    matching_start(key=f"{KIND}:v{version.number}", organisation_ids=affected_organisations(book, before),
                   version=version, trigger="publication")


def on_application_approved(sender, *, application, **kwargs) -> None:
    """An approval can enter a carrier in a register (carriers.recognition): what the registers say changed."""
    matching_start_for(organisation_ids=[application.organisation_id], trigger="approval")


# ---------------------------------------------------------------- one chunk


def _register_holders(ids: list[int] | None) -> set[int]:
    """Organisations (of `ids`, or all) holding a recognised carrier: the registers add facts for them."""
    from carriers.facts import FACTS_BY_MODEL

    out: set[int] = set()
    for model, _build in FACTS_BY_MODEL:
        rows = model.objects.filter(recognised_on__isnull=False)
        if ids is not None:
            rows = rows.filter(organisation_id__in=ids)
        out |= set(rows.values_list("organisation_id", flat=True))
    return out


def _profiles(items: list[int], book: RuleBook) -> dict[int, dict]:
    from carriers.facts import facts_from_register

    known = book.vocabulary
    facts: dict[int, list] = {}
    for org_id, fact, value, source, confirmed in (
            OrganisationFact.objects.filter(organisation_id__in=items)
            .values_list("organisation_id", "fact", "value", "source", "confirmed_at")):
        if fact in known:  # a fact the vocabulary no longer has is kept, not checked
            facts.setdefault(org_id, []).append((fact, value, source, confirmed))
    holders = _register_holders(items)
    out = {}
    for pk, org_type, district in Organisation.objects.filter(pk__in=items).values_list("pk", "org_type", "district"):
        base = record_facts(org_type, district)
        if pk in holders:
            base.update(facts_from_register(Organisation.objects.get(pk=pk)))
        out[pk] = combine(base, facts.get(pk, ())).facts
    return out


def _recipients(items: list[int]) -> dict[int, list]:
    users: dict[int, list] = {}
    for user in (get_user_model().objects.filter(is_active=True, profile__role=Role.APPLICANT,
                                                  profile__organisation_id__in=items)
                 .select_related("profile")):
        users.setdefault(user.profile.organisation_id, []).append(user)
    return users


def _found(book: RuleBook, facts: dict, as_of: dt.date) -> dict[str, tuple[str, list]]:
    result = check(book, facts, as_of)
    found = {e["code"]: ("eligible", []) for e in result["eligible"]}
    found.update({r["code"]: ("needs_review", r.get("awaiting", [])) for r in result["needs_review"]})
    return found


def _notify(match: Match, users: list, version: int) -> bool:
    if not users:
        return False
    notify(recipients=users, kind=NOTIFY_KIND, key=f"match:{match.organisation_id}:{match.clause.code}:v{version}",
           params={"clause": match.clause.code, "title": match.clause.title_zh}, url="/matches/")
    return True


def match_chunk(job: Job, items: list) -> dict:
    """Check each organisation of the chunk under the job's version; record what appeared and what vanished."""
    number, trigger = job.params["version"], job.params.get("trigger", "")
    as_of = dt.date.fromisoformat(job.params["as_of"])
    book = rulebook_for_version(RuleVersion.objects.get(number=number))
    now = timezone.now()
    clauses = {c.code: c for c in Clause.objects.all()}
    no_application = set(ClauseMatching.objects.filter(no_application=True).values_list("clause__code", flat=True))
    in_book = {c.code for c in book.evaluated_clauses}
    profiles = _profiles(items, book)
    users = _recipients(items)
    existing: dict[tuple[int, str], Match] = {}
    held: dict[int, list[Match]] = {}
    for m in Match.objects.filter(organisation_id__in=items).select_related("clause"):
        existing[(m.organisation_id, m.clause.code)] = m
        held.setdefault(m.organisation_id, []).append(m)
    created, updated, seen = [], [], []  # seen: still matching as before, only its version and day move on
    counts = {"new": 0, "expired": 0, "matches": 0, "errors": 0}
    for org_id, facts in profiles.items():
        try:
            found = _found(book, facts, as_of)
        except DomainError:
            counts["errors"] += 1  # a stored fact the engine refuses: the organisation keeps its matches
            continue
        counts["matches"] += len(found)
        for code, (outcome, missing) in found.items():
            match = existing.get((org_id, code))
            proposed = code in no_application
            fresh = match is None or match.status == Match.Status.EXPIRED
            if match is None:
                match = Match(organisation_id=org_id, clause=clauses[code], first_seen=now)
                created.append(match)
            elif match.status in (Match.Status.DISMISSED, Match.Status.APPLIED, Match.Status.AWARDED):
                continue
            elif (fresh or match.outcome != outcome or match.missing != missing
                  or (match.status == Match.Status.NEW and users.get(org_id))):
                updated.append(match)
            else:
                seen.append(match.pk)
                continue
            match.rule_version, match.outcome, match.missing, match.last_seen = number, outcome, missing, now
            if fresh:
                counts["new"] += 1
                match.status, match.reason, match.status_changed_at = (
                    Match.Status.PROPOSED if proposed else Match.Status.NEW), "", now
            if match.status == Match.Status.NEW and _notify(match, users.get(org_id, []), number):
                match.status, match.status_changed_at = Match.Status.NOTIFIED, now
        for match in held.get(org_id, ()):
            code = match.clause.code
            if code in found or match.status not in Match.ACTIVE:
                continue
            counts["expired"] += 1
            match.status, match.status_changed_at, match.rule_version = Match.Status.EXPIRED, now, number
            match.reason = "clause_removed" if code not in in_book else (
                "rules_changed" if trigger == "publication" else "facts_changed")
            updated.append(match)
    Match.objects.bulk_create(created, batch_size=1000)
    Match.objects.bulk_update(updated, ["rule_version", "outcome", "missing", "last_seen", "status", "reason",
                                        "status_changed_at"], batch_size=200)
    if seen:
        Match.objects.filter(pk__in=seen).update(rule_version=number, last_seen=now)
    return {"changed": counts["new"] + counts["expired"], **counts}


