"""Reads of the policy library: clauses as the current rule version states them.

Each selector fetches everything its callers display in a fixed number of queries
(select_related / prefetch_related spelled out here, never left to Meta.ordering).
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from rules.models import ClauseRule, RuleVersion
from rules.selectors import clause_rules, current_version

# ---------------------------------------------------------------- clauses


def clause_list(*, version: RuleVersion | None = None, filters: dict | None = None) -> QuerySet[ClauseRule]:
    """The catalogue as it stands in `version` (default: the current published one), in catalogue order.

    Filters: `document` (code), `kind`, `bureau` (short name of any responsible bureau,
    lead or not) and `q` (case-insensitive text in the code or either title). Each row is a
    ClauseRule with `clause`, `clause.document`, `clause.article`, `lead_bureau`, `version`,
    `ordered_bureaus` (ClauseRuleBureau, lead first) and `ordered_conditions` loaded.
    """
    version = version or current_version()
    filters = filters or {}
    rules = clause_rules(version).select_related("version")
    if filters.get("document"):
        rules = rules.filter(clause__document__code=filters["document"])
    if filters.get("kind"):
        rules = rules.filter(clause__kind=filters["kind"])
    if filters.get("bureau"):
        # (clause_rule, bureau) is unique, so this join cannot repeat a row.
        rules = rules.filter(bureaus__short_name_zh=filters["bureau"])
    if filters.get("q"):
        q = filters["q"]
        rules = rules.filter(
            Q(clause__code__icontains=q) | Q(clause__title_zh__icontains=q) | Q(clause__title_en__icontains=q)
        )
    return rules


def clause_get(*, code: str, version: RuleVersion | None = None) -> ClauseRule | None:
    """One clause with its rule in `version` (default: current), or None when the version has no such code."""
    return clause_list(version=version).filter(clause__code=code).first()
