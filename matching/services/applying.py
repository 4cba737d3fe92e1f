"""From a match to an application in one step, dismissing a match, and 免申即享: proposed awards an officer confirms.

`match_apply` fills the draft from the effective profile (the facts the clause tests) and, for a
recognition, names the list the recognition came from as the achievement; the applicant only confirms
and adds materials. A clause its lead bureau marks 免申即享 needs no application: its matches are
proposed awards in the officers' queue, confirmed one by one or together.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, role_of
from catalogue.models import Clause
from policy_portal.exceptions import DomainError, NotAllowed, NotFound
from rules.selectors import current_version, rulebook_for_version
from subsidies.services.actions import application_award
from subsidies.services.applications import application_create

from ..models import ClauseMatching, Match, OrganisationFact, Source
from .profiles import effective_profile


def _own_match(actor, match_id) -> Match:
    organisation = organisation_of(actor)
    if organisation is None:
        raise NotAllowed("permission_denied")
    match = (Match.objects.select_for_update(of=("self",)).select_related("clause", "organisation")
             .filter(pk=match_id, organisation=organisation).first())
    if match is None:
        raise NotFound("not_found", field="match")
    return match


def _achievement_key(match: Match, facts: set[str]) -> str:
    """For a recognition: the official list it was imported from, the organisation's credit code and the day, as the
    item the clause rewards (就新、不重复 compares keys across all organisations: two enterprises on one list
    are two achievements)."""
    if match.clause.achievement_kind != "recognition":
        return ""
    row = (OrganisationFact.objects.filter(organisation=match.organisation, source=Source.IMPORTED, fact__in=facts,
                                           list_import__isnull=False, fact__endswith="_recognised_on")
           .select_related("list_import__kind").first())
    return f"{row.list_import.kind.name_zh} {match.organisation.credit_code} {row.value}" if row else ""


@transaction.atomic
def match_apply(*, actor, match_id: int):
    """A draft application under the match's clause, its facts from the profile; the match is applied."""
    match = _own_match(actor, match_id)
    if match.application_id:
        return match.application
    if match.status not in (Match.Status.NEW, Match.Status.NOTIFIED):
        raise DomainError("match_not_open", field="match")
    book = rulebook_for_version(current_version())
    try:
        spec = book.clause(match.clause.code)
    except KeyError:
        raise DomainError("match_not_open", field="match") from None
    used = {cond.fact for g in spec.groups for cond in g}
    profile = effective_profile(match.organisation)
    facts = {f: v for f, v in profile.facts.items() if f in used and f in book.vocabulary}
    application = application_create(actor=actor, clause_code=match.clause.code, facts=facts,
                                     achievement_key=_achievement_key(match, used),
                                     idempotency_key=f"match:{match.pk}")
    match.status, match.application, match.status_changed_at = Match.Status.APPLIED, application, timezone.now()
    match.save(update_fields=["status", "application", "status_changed_at"])
    return application


@transaction.atomic
def match_dismiss(*, actor, match_id: int) -> Match:
    match = _own_match(actor, match_id)
    if match.status not in (Match.Status.NEW, Match.Status.NOTIFIED):
        raise DomainError("match_not_open", field="match")
    match.status, match.status_changed_at, match.decided_by = Match.Status.DISMISSED, timezone.now(), actor
    match.save(update_fields=["status", "status_changed_at", "decided_by"])
    return match


def _lead_bureau_officer(actor, clause: Clause) -> None:
    role = role_of(actor)
    if role == Role.ADMIN:
        return
    bureau = bureau_of(actor)
    try:
        lead = rulebook_for_version(current_version()).clause(clause.code).lead_bureau
    except KeyError:
        lead = ""
    if role != Role.OFFICER or bureau is None or bureau.short_name_zh != lead:
        raise NotAllowed("not_lead_bureau", field="clause", clause=clause.code)


@transaction.atomic
def clause_matching_set(*, actor, clause_code: str, no_application: bool) -> ClauseMatching:
    """The lead bureau marks a clause 免申即享 (or not); its open matches become proposed awards (or back)."""
    clause = Clause.objects.filter(code=clause_code).first()
    if clause is None:
        raise DomainError("unknown_clause", field="clause", clause=clause_code)
    _lead_bureau_officer(actor, clause)
    setting, _created = ClauseMatching.objects.update_or_create(
        clause=clause, defaults={"no_application": bool(no_application), "set_by": actor})
    now = timezone.now()
    if no_application:
        Match.objects.filter(clause=clause, status__in=(Match.Status.NEW, Match.Status.NOTIFIED)).update(
            status=Match.Status.PROPOSED, status_changed_at=now)
    else:
        Match.objects.filter(clause=clause, status=Match.Status.PROPOSED).update(
            status=Match.Status.NEW, status_changed_at=now)
    return setting


@dataclass
class Confirmed:
    """What confirming awards did: the matches awarded (with their applications) and those refused, with why."""

    awarded: list[Match]
    refused: list[tuple[Match, DomainError]]


def proposed_awards_confirm(*, actor, clause_code: str, match_ids: list[int]) -> Confirmed:
    """An officer of the lead bureau confirms proposed awards (one, or many at once).

    Each award in its own transaction: the match, locked, gets an application with the profile's facts for the
    clause, approved through the declared `award` action (budget, yearly cap, one achievement, hooks, notices); a
    refusal (over budget, over the cap, already supported …) undoes that award only and is reported with the match.
    """
    clause = Clause.objects.filter(code=clause_code).first()
    if clause is None:
        raise DomainError("unknown_clause", field="clause", clause=clause_code)
    _lead_bureau_officer(actor, clause)
    if bureau_of(actor) is None:  # an award is an approval: an officer of the lead bureau takes it, not an administrator
        raise NotAllowed("not_lead_bureau", field="clause", clause=clause.code)
    if (not isinstance(match_ids, list) or not match_ids
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in match_ids)):
        raise DomainError("required", field="match_ids")
    result = Confirmed([], [])
    ids = list(Match.objects.filter(pk__in=set(match_ids), clause=clause, status=Match.Status.PROPOSED)
               .order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        try:
            match = _award(actor, clause, pk)
        except DomainError as exc:
            result.refused.append((Match.objects.select_related("organisation").get(pk=pk), exc))
        else:
            if match is not None:
                result.awarded.append(match)
    return result


@transaction.atomic
def _award(actor, clause: Clause, match_id: int) -> Match | None:
    match = (Match.objects.select_for_update(of=("self",)).select_related("organisation", "clause")
             .filter(pk=match_id, clause=clause).first())
    if match is None or match.status != Match.Status.PROPOSED:
        return None  # confirmed meanwhile (another officer, a double click) or no longer proposed
    book = rulebook_for_version(current_version())
    try:
        spec = book.clause(clause.code)
    except KeyError:
        raise DomainError("match_not_open", field="match") from None
    used = {cond.fact for g in spec.groups for cond in g}
    profile = effective_profile(match.organisation)
    facts = {f: v for f, v in profile.facts.items() if f in used and f in book.vocabulary}
    application = application_award(actor=actor, organisation=match.organisation, clause=clause, facts=facts,
                                    achievement_key=_achievement_key(match, used), key=f"award:{match.pk}")
    match.status, match.application = Match.Status.AWARDED, application
    match.status_changed_at, match.decided_by = timezone.now(), actor
    match.save(update_fields=["status", "application", "status_changed_at", "decided_by"])
    return match
