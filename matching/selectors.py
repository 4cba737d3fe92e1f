"""Reads of the matching app: an organisation's matches with what the clause says, counts per clause, conflicts."""
from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from rules.compiled import clause_head
from rules.selectors import current_version, rulebook_for_version

from .models import ClauseMatching, ListImport, Match, OrganisationFact, Source

SHOWN_TO_APPLICANT = (Match.Status.NEW, Match.Status.NOTIFIED, Match.Status.APPLIED, Match.Status.PROPOSED,
                      Match.Status.AWARDED)


def _heads() -> dict:
    book = rulebook_for_version(current_version())
    return {c.code: clause_head(c) for c in book.evaluated_clauses}


def matches_of(organisation) -> list[dict]:
    """The organisation's matches, open ones first, each with the clause's amount, bureau and citation."""
    heads = _heads()
    rows = (Match.objects.filter(organisation=organisation, status__in=SHOWN_TO_APPLICANT)
            .select_related("clause").order_by("clause__code"))
    order = {s: i for i, s in enumerate(SHOWN_TO_APPLICANT)}
    out = [{"match": m, "head": heads.get(m.clause.code, {}), "open": m.status in (Match.Status.NEW, Match.Status.NOTIFIED)}
           for m in rows]
    out.sort(key=lambda r: (order[r["match"].status], r["match"].clause.code))
    return out


def clause_counts() -> list[dict]:
    """Per clause: organisations matched now, applied, proposed and confirmed awards, and whether it is 免申即享."""
    heads = _heads()
    counts = (Match.objects.values("clause__code")
              .annotate(matched=Count("pk", filter=Q(status__in=(Match.Status.NEW, Match.Status.NOTIFIED))),
                        applied=Count("pk", filter=Q(status=Match.Status.APPLIED)),
                        proposed=Count("pk", filter=Q(status=Match.Status.PROPOSED)),
                        awarded=Count("pk", filter=Q(status=Match.Status.AWARDED)),
                        expired=Count("pk", filter=Q(status=Match.Status.EXPIRED))))
    no_app = set(ClauseMatching.objects.filter(no_application=True).values_list("clause__code", flat=True))
    out = [{**c, "code": c["clause__code"], "head": heads.get(c["clause__code"], {}),
            "no_application": c["clause__code"] in no_app} for c in counts]
    return sorted(out, key=lambda r: r["code"])


def clause_matches(code: str):
    return (Match.objects.filter(clause__code=code).exclude(status=Match.Status.EXPIRED)
            .select_related("organisation").order_by("status", "organisation__name"))


def conflicts():
    """Self-declared facts a stronger source contradicts: for an officer to resolve, never silently."""
    stronger = OrganisationFact.objects.filter(
        organisation=OuterRef("organisation"), fact=OuterRef("fact"),
        source__in=(Source.OFFICER, Source.IMPORTED)).exclude(value=OuterRef("value"))
    return (OrganisationFact.objects.filter(source=Source.SELF, organisation__isnull=False)
            .filter(Exists(stronger)).select_related("organisation").order_by("organisation__name", "fact"))


def recent_imports(limit: int = 20):
    return ListImport.objects.select_related("kind", "job").order_by("-created_at")[:limit]
