"""Profiles with provenance: each fact from its source, the effective profile, and the conflicts officers see.

The effective value of a fact is the one from its strongest source (officer > imported > derived > self,
`models.STRENGTH`); a self-declared value that disagrees with a stronger one is kept and listed as a
conflict, never silently dropped. The organisation's own record gives `org_type` and
`registered_in_chongqing` (derived); the registers (carriers.facts) add what they hold.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role
from accounts.selectors import organisation_of, role_of
from policy_portal.exceptions import DomainError, NotAllowed, NotFound
from rules.operators import normalise_value
from rules.selectors import fact_specs

from ..models import OrganisationFact, ProspectiveOrganisation, Source
from ..profile import Profile, combine, record_facts  # noqa: F401 - Profile is part of this module's answer

# Facts our own record of the organisation settles: an applicant does not declare them in the profile.
RECORD_FACTS = ("org_type", "registered_in_chongqing")


def effective_profile(organisation: Organisation, *, registers: bool = True) -> Profile:
    """The organisation's profile: its record, its stored facts and (with `registers`) what the registers say."""
    rows = OrganisationFact.objects.filter(organisation=organisation).values_list("fact", "value", "source",
                                                                                 "confirmed_at")
    base = record_facts(organisation.org_type, organisation.district)
    if registers:
        from carriers.facts import facts_from_register

        base.update(facts_from_register(organisation))
    return combine(base, rows, organisation.created_at)


def _validated(fact: str, value):
    spec = fact_specs().get(fact)
    if spec is None:
        raise DomainError("unknown_fact", field=f"facts.{fact}", fact=fact)
    normalise_value(spec, value, f"facts.{fact}")
    return value


def _write(*, organisation: Organisation, fact: str, value, source: str, actor, now=None) -> bool:
    """Upsert one fact from one source; True when its value changed."""
    now = now or timezone.now()
    existing = OrganisationFact.objects.filter(organisation=organisation, fact=fact, source=source).first()
    if existing is None:
        OrganisationFact.objects.create(organisation=organisation, fact=fact, value=value, source=source,
                                        confirmed_at=now, recorded_by=actor)
        return True
    changed = existing.value != value
    existing.value, existing.confirmed_at, existing.recorded_by = value, now, actor
    existing.save(update_fields=["value", "confirmed_at", "recorded_by"])
    return changed


@transaction.atomic
def profile_facts_declare(*, actor, facts: dict) -> list[str]:
    """An applicant states or corrects its self-declared facts; the organisation is matched again."""
    from .matching import matching_start_for

    organisation = organisation_of(actor)
    if organisation is None:
        raise NotAllowed("permission_denied")
    if not isinstance(facts, dict) or not facts:
        raise DomainError("required", field="facts")
    changed = []
    for fact, value in facts.items():
        if fact in RECORD_FACTS:
            raise DomainError("fact_from_record", field=f"facts.{fact}", fact=fact)
        if value is None or value == "":
            if OrganisationFact.objects.filter(organisation=organisation, fact=fact, source=Source.SELF).delete()[0]:
                changed.append(fact)
            continue
        if _write(organisation=organisation, fact=fact, value=_validated(fact, value), source=Source.SELF, actor=actor):
            changed.append(fact)
    if changed:
        matching_start_for(organisation_ids=[organisation.pk], trigger="profile")
    return changed


@transaction.atomic
def profile_fact_verify(*, actor, organisation_id: int, fact: str, value) -> bool:
    """An officer (or administrator) records a verified value, which wins over what the applicant declared."""
    from .matching import matching_start_for

    if role_of(actor) not in (Role.OFFICER, Role.ADMIN):
        raise NotAllowed("permission_denied")
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("not_found", field="organisation")
    changed = _write(organisation=organisation, fact=fact, value=_validated(fact, value), source=Source.OFFICER,
                     actor=actor)
    if changed:
        matching_start_for(organisation_ids=[organisation.pk], trigger="profile")
    return changed


@transaction.atomic
def prospect_claim(organisation: Organisation) -> int:
    """Move a prospective organisation's imported facts to the organisation that registered its credit code."""
    prospect = (ProspectiveOrganisation.objects.select_for_update()
                .filter(credit_code=organisation.credit_code, claimed_by__isnull=True).first())
    if prospect is None:
        return 0
    moved = 0
    for row in prospect.facts.all():
        _write(organisation=organisation, fact=row.fact, value=row.value, source=row.source, actor=None,
               now=row.confirmed_at)
        OrganisationFact.objects.filter(organisation=organisation, fact=row.fact, source=row.source).update(
            list_import=row.list_import_id)
        moved += 1
    prospect.facts.all().delete()
    prospect.claimed_by, prospect.claimed_at = organisation, timezone.now()
    prospect.save(update_fields=["claimed_by", "claimed_at"])
    return moved


def on_organisation_saved(sender, *, instance: Organisation, created: bool, **kwargs) -> None:
    """Registration (any path that creates an organisation): claim the facts a list held for its credit code."""
    from .matching import matching_start_for

    if created and prospect_claim(instance):
        matching_start_for(organisation_ids=[instance.pk], trigger="claim")
