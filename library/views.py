"""Pages of the policy library: the home page, the five documents, each document article by article, each clause."""
from __future__ import annotations

from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalogue import display
from catalogue.models import Article, Clause
from catalogue.selectors import document_get, document_list
from rules import caching
from rules.selectors import NoPublishedVersion, condition_groups

from .http import conditional_page
from .selectors import clause_get, clause_list

MAX_QUERY = 60


# Each page's data is read once per process and rule version (rules.caching); the page itself answers
# 304 to a visitor whose copy is still current (library.http.conditional_page).


@conditional_page
def home(request):
    documents = caching.per_version(("library:home",), lambda: list(_documents(summaries=True)))
    return render(request, "library/home.html", {"documents": documents})


@conditional_page
def document_list_page(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    documents, matches = caching.per_version(
        ("library:documents", query),
        lambda: (list(_documents()), list(_rules(q=query).values()) if query else None))
    return render(
        request, "library/document_list.html", {"documents": documents, "query": query, "matches": matches}
    )


@conditional_page
def document_detail(request, code):
    found = caching.per_version(("library:document", code), lambda: _document_with_articles(code))
    if found is None:
        return _not_found(request, _("There is no policy document with the code %(code)s.") % {"code": code})
    document, articles = found
    return render(request, "library/document_detail.html", {"document": document, "articles": articles})


def _document_with_articles(code):
    document = document_get(code=code)
    if document is None:
        return None
    document.clause_count = Clause.objects.filter(document=document).count()
    rules = _rules(document=code)
    # The selector loads clause codes only; marking the text needs each quote and title.
    clauses = Clause.objects.filter(document=document).order_by("position")
    articles = list(
        Article.objects.filter(document=document)
        .prefetch_related(Prefetch("clauses", queryset=clauses, to_attr="ordered_clauses"))
        .order_by("position")
    )
    for article in articles:
        for clause in article.ordered_clauses:
            clause.rule = rules.get(clause.code)
        article.marked_text = marked_text(article.text, article.ordered_clauses)
    return document, articles


@conditional_page
def clause_detail(request, code):
    try:
        rule = caching.per_version(("library:clause", code), lambda: clause_get(code=code))
    except NoPublishedVersion:
        rule = None
    clause = rule.clause if rule else Clause.objects.select_related("document", "article").filter(code=code).first()
    if clause is None:
        return _not_found(request, _("There is no clause with the code %(code)s.") % {"code": code})
    context = {
        "clause": clause,
        "rule": rule,
        "bureaus": [
            {"name": display.bureau_name(b.bureau), "lead": b.bureau_id == rule.lead_bureau_id}
            for b in (rule.ordered_bureaus if rule else [])
        ],
        "condition_groups": [
            {
                "any": len(group) > 1,
                "items": [{"message": display.pick(c, "message"), "review": c.operator == "review"} for c in group],
            }
            for group in (condition_groups(rule) if rule else [])
        ],
        "article_text": marked_text(clause.article.text, [clause], link=False),
    }
    return render(request, "library/clause_detail.html", context)


def _not_found(request, message):
    return render(request, "404.html", {"message": message}, status=404)


def _documents(*, summaries: bool = False):
    documents = document_list().annotate(clause_count=Count("clauses"))
    return documents.defer(None) if summaries else documents


def _rules(**filters) -> dict:
    """The current published version's ClauseRule per clause code (empty before anything is published)."""
    try:
        return {rule.clause.code: rule for rule in clause_list(filters=filters)}
    except NoPublishedVersion:
        return {}


def marked_text(text: str, clauses, *, link: bool = True):
    """The article's exact text, HTML-escaped, with each clause's quote in a <mark>.

    Clauses that quote the same or overlapping words share one mark, tagged with every code
    (FIM-2.2 and FIM-2.3 quote one sentence). With `link`, each tag links to its clause page.
    """
    spans = sorted(
        ((text.find(c.quote), c) for c in clauses if c.quote and c.quote in text),
        key=lambda s: (s[0], -len(s[1].quote)),
    )
    marks: list[list] = []  # [start, end, [(start, clause), ...]]
    for start, clause in spans:
        end = start + len(clause.quote)
        if marks and start < marks[-1][1]:
            marks[-1][1] = max(marks[-1][1], end)
            marks[-1][2].append((start, clause))
        else:
            marks.append([start, end, [(start, clause)]])
    out, pos = [], 0
    for start, end, members in marks:
        out.append(escape(text[pos:start]))
        inner, at = [], start
        for member_start, clause in members:
            inner.append(escape(text[at:member_start]))
            at = member_start
            if link:
                inner.append(
                    format_html(
                        '<a class="clause-tag" id="q-{}" href="{}">{}</a>',
                        clause.code,
                        reverse("library:clause-detail", args=[clause.code]),
                        clause.code,
                    )
                )
        inner.append(escape(text[at:end]))
        codes = " ".join(c.code for _start, c in members)
        out.append(format_html('<mark class="quote" data-clauses="{}">{}</mark>', codes, mark_safe("".join(inner))))
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))
