"""Reads of the catalogue: documents with their issuers and articles, and the bureaus."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Article, Bureau, Clause, Document, DocumentIssuer

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


def districts() -> list[tuple[str, str, str]]:
    """Chongqing's districts and counties (区县), as (name, label in Chinese, label in English: the same proper name)."""
    rows = Bureau.objects.filter(level=Bureau.Level.DISTRICT).exclude(district="").order_by("id")
    return [(b.district, b.district, b.district) for b in rows]
