"""The eligibility checker page: a questionnaire generated from the facts vocabulary.

Without JavaScript the form posts here and the results are rendered on the server; with
JavaScript (static/eligibility/check.js) every change is checked through the API. Both
ask the same service, so the page and the API answer alike.
"""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from catalogue import display
from catalogue.models import Article, Clause
from catalogue.procedures import PART_OF
from catalogue.selectors import bureau_list, document_list
from policy_portal.messages import Message
from rules import caching
from rules.operators import FactError
from rules.selectors import fact_list

from .forms import FactsForm
from .services import eligibility_check


def check_page(request):
    # What depends only on the rule version and the language is built once per process (rules.caching):
    # the vocabulary, the names results cite, the script's data, and the empty questionnaire as HTML.
    language = get_language()
    facts = caching.per_version(("checker:facts",), lambda: list(fact_list()))
    names = caching.per_version(("checker:names", language), _names)
    result, questions_html = None, None
    if request.method == "POST":
        form = FactsForm(request.POST, facts=facts)
        if form.is_valid():
            try:
                result = eligibility_check(facts=form.stated_facts(), as_of=form.cleaned_data["as_of"])
            except FactError as exc:
                name = exc.field.removeprefix("facts.")
                form.add_error(name if name in form.fields else None, exc.message)
        sections = form.sections()
    else:
        form, sections = FactsForm(facts=[]), []  # the date only: the questions come rendered
        questions_html = caching.per_version(("checker:questions", language), lambda: _questions_html(facts))
    context = {
        "form": form,
        "sections": sections,
        "questions_html": questions_html,
        "result": present(result, names, facts=form.stated_facts()) if result is not None else None,
        "checker_data_script": caching.per_version(
            ("checker:data", language), lambda: json_script(_checker_data(names), "checker-data")),
    }
    return render(request, "eligibility/check.html", context)


def _questions_html(facts) -> str:
    """The questionnaire, unanswered, as HTML (the same for every visitor of a version and language)."""
    return render_to_string("eligibility/_questions.html", {"sections": FactsForm(facts=facts).sections()})


APPLICABLE_KINDS = ("subsidy", "recognition")  # and not a requirement of another clause's application (PART_OF)  # evaluations and obligations are not applied for


def apply_query(code: str, facts: dict, as_of: str) -> str:
    """The query that opens an application draft for one clause with the checked facts."""
    return urlencode({"clause": code, "facts": json.dumps(facts, ensure_ascii=False), "as_of": as_of})


def present(result: dict, names: dict, facts: dict | None = None) -> dict:
    """The service's answer with what the page shows: titles, amounts and bureaus in the active language."""
    bureaus, documents, labels, titles = names["bureaus"], names["documents"], names["articles"], names["clauses"]

    def head(item: dict) -> dict:
        citation = item["citation"]
        return {
            **item,
            "apply_query": apply_query(item["code"], facts or {}, result["as_of"])
            if item.get("kind") in APPLICABLE_KINDS and item["code"] not in PART_OF else "",
            "part_of": PART_OF.get(item["code"], ""),
            "title": display.pick(item, "title"),
            "amount_text": display.amount(item["amount_yuan"], item["amount_kind"]),
            "amount_kind_text": display.amount_badge(item["amount_kind"]),
            "amount_note": display.amount_note(citation.get("text", ""), item["amount_yuan"], item["amount_kind"]),
            "bureau_list": [{"name": bureaus.get(b, b), "lead": b == item["lead_bureau"]} for b in item["bureaus"]],
            "document_title": documents.get(citation["document"], citation["document"]),
            "article_label": labels.get(f'{citation["document"]}/{citation["article_key"]}', citation["article"]),
            "because_text": [display.pick(m, "message") for m in item.get("because", [])],
            "awaiting_text": [display.pick(m, "message") for m in item.get("awaiting", [])],
            "not_combinable": item.get("not_combinable_with", []),
        }

    return {
        "as_of": dt.date.fromisoformat(result["as_of"]),
        "ruleset_version": result["ruleset_version"],
        "eligible": [head(i) for i in result["eligible"]],
        "needs_review": [head(i) for i in result["needs_review"]],
        "near_misses": [
            {**n, "title": display.pick(n, "title"), "unmet_text": [display.pick(m, "message") for m in n["unmet"]]}
            for n in result["near_misses"]
        ],
        "superseded": [
            {**s, "title": titles.get(s["code"], s["code"]), "reason": display.pick(s, "reason")}
            for s in result["superseded"]
        ],
        "empty": not (result["eligible"] or result["needs_review"] or result["near_misses"] or result["superseded"]),
    }


def _names() -> dict[str, dict[str, str]]:
    """Display names in the active language of what check results cite by code."""
    articles = Article.objects.select_related("document").only(
        "key", "number_zh", "heading_zh", "heading_en", "document__code"
    )
    return {
        "bureaus": {b.short_name_zh: display.bureau_name(b) for b in bureau_list()},
        "documents": {d.code: display.pick(d, "title") for d in document_list()},
        "articles": {f"{a.document.code}/{a.key}": display.article_label(a) for a in articles},
        "clauses": {c.code: display.pick(c, "title") for c in Clause.objects.only("code", "title_zh", "title_en")},
    }


def _checker_data(names: dict) -> dict:
    """What check.js needs to render results like the server does, in the active language."""
    return {
        "api": reverse("api-eligibility-check"),
        "applyUrl": reverse("applications:new"),
        "applicableKinds": list(APPLICABLE_KINDS),
        "english": display.is_english(),
        "clauseUrl": reverse("library:clause-detail", args=["CODE"]),
        **names,
        "amountKinds": {k: str(v) for k, v in display.AMOUNT_KINDS.items()},
        "invalidDate": str(Message("invalid_date")),
        "strings": {
            "upTo": _("Up to %(amount)s"),
            "equityUpTo": _("Equity investment of up to %(amount)s"),
            "nonMonetary": _("Non-monetary support"),
            "notStated": _("Amount not stated"),
            "asOf": _("As of %(date)s · rule version %(version)s"),
            "eligible": _("Support you appear to qualify for"),
            "needsReview": _("Needs an officer's review"),
            "nearMisses": _("Nearly there"),
            "superseded": _("Not supported twice"),
            "empty": _("With the answers so far, no clause applies yet. Answer more questions to see what you qualify for."),
            "amount": _("Support amount"),
            "bureaus": _("Responsible bureaus"),
            "lead": _("lead"),
            "apply": _("Apply for this"),
            "because": _("Why it applies"),
            "awaiting": _("Awaiting an officer's judgement"),
            "unmet": _("Still missing"),
            "metOf": _("%(met)s of %(total)s conditions met"),
            "originalText": _("Original text"),
            "supersededBy": _("Superseded by %(codes)s"),
            "notCombinable": _("Cannot be combined with %(codes)s"),
            "fixErrors": _("Please correct the answers marked below."),
            "unavailable": _("The live check is unavailable right now. Use the “Show results” button to check on the server."),
            "notNumber": _("Enter a number."),
            "separator": _(", "),
            "showMore": pgettext("filled in by the checker script", "Show %(counter)s more"),
            "jump": _("%(eligible)s to apply for · %(review)s to review — see results"),
        },
    }
