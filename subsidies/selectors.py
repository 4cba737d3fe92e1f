"""Reads of the catalogue for the API and pages: clauses with their current rule, documents, bureaus and facts.

Each selector fetches everything its callers display in a fixed number of queries
(select_related / prefetch_related spelled out here, never left to Meta.ordering).
"""
from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from rules.models import ClauseRule, Condition, Fact, RuleVersion
from rules.operators import OPERATORS_BY_TYPE, Operator
from rules.selectors import clause_rules, current_version

from .models import Article, Bureau, Clause, Document, DocumentIssuer


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


# ---------------------------------------------------------------- documents


def _issuers_prefetch() -> Prefetch:
    return Prefetch(
        "documentissuer_set",
        queryset=DocumentIssuer.objects.select_related("bureau").order_by("position"),
        to_attr="ordered_issuers",
    )


def document_list() -> QuerySet[Document]:
    """The five documents in load order, issuers (in printed order) in `ordered_issuers`; texts deferred."""
    return (
        Document.objects.defer("full_text", "summary_zh", "summary_en")
        .prefetch_related(_issuers_prefetch())
        .order_by("id")
    )


def document_get(*, code: str) -> Document | None:
    """One document with `ordered_issuers` and `ordered_articles`, each article with `ordered_clauses` (codes only)."""
    articles = Article.objects.order_by("position").prefetch_related(
        Prefetch(
            "clauses",
            queryset=Clause.objects.only("id", "code", "article_id", "position").order_by("position"),
            to_attr="ordered_clauses",
        )
    )
    return (
        Document.objects.filter(code=code)
        .prefetch_related(_issuers_prefetch(), Prefetch("articles", queryset=articles, to_attr="ordered_articles"))
        .first()
    )


# ---------------------------------------------------------------- bureaus


def bureau_list() -> QuerySet[Bureau]:
    """Every responsible unit, in load order (municipal first as the fixture lists them)."""
    return Bureau.objects.order_by("id")


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
