"""The eligibility checker page: a questionnaire generated from the facts vocabulary.

Without JavaScript the form posts here and the results are rendered on the server; with
JavaScript (static/eligibility/check.js) every change is checked through the API. Both
ask the same service, so the page and the API answer alike.
"""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.core import signing
from django.shortcuts import render
from django.utils import timezone
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from catalogue import display
from catalogue.models import Article, Clause
from catalogue.selectors import bureau_list, document_list
from policy_portal.messages import Message
from rules import caching
from rules.operators import FactError, parse_iso_date
from rules.selectors import fact_list

from .forms import UNSURE, FactsForm, StepForm
from .services import eligibility_check, eligibility_relevant
from .totals import money_totals


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


APPLICABLE_KINDS = ("subsidy", "recognition")  # evaluations and obligations are not applied for


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
            if item.get("kind") in APPLICABLE_KINDS else "",
            "title": display.pick(item, "title"),
            "amount_text": display.amount(item["amount_yuan"], item["amount_kind"]),
            "amount_kind_text": display.amount_kind(item["amount_kind"]),
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
            {**n, "title": display.pick(n, "title"), "unmet_text": [display.pick(m, "message") for m in n["unmet"]],
             "what_if_query": apply_query(n["code"], facts or {}, result["as_of"])}
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
        "whatIfUrl": reverse("matching:what-if"),
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
            "whatIf": _("What would make it apply?"),
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


# ---------------------------------------------------------------- the interview

INTERVIEW_SALT = "eligibility.interview"
STATE_KEYS = {"as_of", "facts", "unsure", "declined", "topics", "history", "position"}


def _fresh_state() -> dict:
    return {"as_of": timezone.localdate().isoformat(), "facts": {}, "unsure": [], "declined": [], "topics": None,
            "history": [], "position": 0}


def _load_state(token: str) -> dict | None:
    """The interview's answers so far, carried by the page itself (signed, so the page needs no session)."""
    try:
        state = signing.loads(token or "", salt=INTERVIEW_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(state, dict) or set(state) != STATE_KEYS or not state["history"]:
        return None
    if not isinstance(state["position"], int) or not 0 <= state["position"] < len(state["history"]):
        return None
    return state


def _dump_state(state: dict) -> str:
    return signing.dumps(state, salt=INTERVIEW_SALT, compress=True)


def _relevant(state: dict) -> dict:
    return eligibility_relevant(facts=state["facts"], as_of=dt.date.fromisoformat(state["as_of"]),
                                unsure=state["unsure"], declined=state["declined"], topics=state["topics"])


def _step_form(facts_by_code: dict, state: dict, data=None) -> StepForm:
    step = state["history"][state["position"]]
    opening = state["position"] == 0
    topics = [(t, display.section_label(t)) for t in _relevant({**state, "facts": {}, "unsure": [], "declined": [],
                                                                  "topics": None})["topics"]] if opening else []
    initial = {code: _initial(facts_by_code[code], state["facts"][code]) for code in step if code in state["facts"]}
    initial["unsure"] = [code for code in step if code in state["unsure"]]
    if opening:
        initial.update({"as_of": state["as_of"], "topics": state["topics"] or []})
    return StepForm(data, facts=[facts_by_code[c] for c in step], opening=opening, topics=topics, initial=initial)


def _initial(fact, value):
    if value is True or value is False:
        return "true" if value else "false"
    return value


def _remember(state: dict, form: StepForm, *, leaving: bool = False) -> None:
    """Put this step's answers into the state (replacing what the same questions had). When `leaving` (going
    back), what was left empty is not taken as "does not apply": those questions are asked again."""
    facts, unsure, declined = form.answers()
    if leaving:
        declined = set()
    step = set(form.facts and [f.code for f in form.facts])
    state["facts"] = {k: v for k, v in state["facts"].items() if k not in step} | facts
    state["unsure"] = sorted((set(state["unsure"]) - step) | unsure)
    state["declined"] = sorted((set(state["declined"]) - step) | declined)
    if form.opening:
        state["as_of"] = form.cleaned_data["as_of"].isoformat()
        state["topics"] = form.cleaned_data["topics"] or None


def interview_page(request):
    """The checker as an interview: a few opening questions, then only what can still change an answer."""
    language = get_language()
    facts_by_code = {f.code: f for f in caching.per_version(("checker:facts",), lambda: list(fact_list()))}
    notice = ""
    state = None
    if request.method == "POST":
        state = _load_state(request.POST.get("state", ""))
        if state is None:
            notice = _("Your answers could not be read; please start again.")
    if state is None:
        state = _fresh_state()
        state["history"] = [_relevant(state)["steps"][0]]
        return _render_step(request, facts_by_code, state, _step_form(facts_by_code, state), notice)
    action = request.POST.get("action", "next")
    if action == "revise":
        state["position"] = len(state["history"]) - 1  # from the result: show the last step again, answers in place
        return _render_step(request, facts_by_code, state, _step_form(facts_by_code, state))
    form = _step_form(facts_by_code, state, request.POST)
    if action == "back":
        if form.is_valid():
            _remember(state, form, leaving=True)  # what was typed on this step is kept for when it comes back
        state["position"] = max(state["position"] - 1, 0)
        return _render_step(request, facts_by_code, state, _step_form(facts_by_code, state))
    if not form.is_valid():
        return _render_step(request, facts_by_code, state, form)
    previous = {k: (list(v) if isinstance(v, list) else v) for k, v in state.items() if k != "history"}
    _remember(state, form)
    try:
        relevant = _relevant(state)
    except FactError as exc:
        state.update(previous)
        name = exc.field.removeprefix("facts.")
        form.add_error(name if name in form.fields else None, exc.message)
        return _render_step(request, facts_by_code, state, form)
    if _forward(state):  # back to where one had been: the later steps again, as far as they still matter
        return _render_step(request, facts_by_code, state, _step_form(facts_by_code, state))
    if relevant["done"]:
        return _render_result(request, state, language)
    state["history"].append(relevant["steps"][0])
    state["position"] = len(state["history"]) - 1
    return _render_step(request, facts_by_code, state, _step_form(facts_by_code, state))


def _forward(state: dict) -> bool:
    """After going back: move to the next step already shown, keeping only its questions that still matter given
    the answers up to here (their answers kept). False when there is none: the interview asks what comes next."""
    p = state["position"]
    earlier = {f for step in state["history"][:p + 1] for f in step}
    so_far = {**state, "facts": {k: v for k, v in state["facts"].items() if k in earlier},
              "unsure": [f for f in state["unsure"] if f in earlier],
              "declined": [f for f in state["declined"] if f in earlier]}
    still = set(_relevant(so_far)["relevant_facts"])
    later = [kept for kept in ([f for f in step if f in still] for step in state["history"][p + 1:]) if kept]
    state["history"] = state["history"][:p + 1] + later
    if not later:
        return False
    state["position"] = p + 1
    return True


def _asked(state: dict) -> int:
    """Questions asked so far: every question shown in a step, and the topics question."""
    return sum(len(step) for step in state["history"]) + 1


def _render_step(request, facts_by_code, state, form, notice=""):
    step = state["history"][state["position"]]
    answered = sum(len(s) for s in state["history"][:state["position"]])
    remaining = [f for f in _relevant(state)["relevant_facts"] if f not in step]
    context = {
        "form": form,
        "questions": form.questions(),
        "state_token": _dump_state(state),
        "step_number": state["position"] + 1,
        "answered": answered,
        "remaining": len(remaining),
        "progress_max": answered + len(step) + len(remaining),
        "progress_value": answered,
        "notice": notice,
    }
    return render(request, "eligibility/interview.html", context, status=400 if form.errors else 200)


def _field_label(field: str) -> str:
    """The question a refused field belongs to, as the questionnaire names it."""
    code = field.removeprefix("facts.")
    facts = {f.code: f for f in caching.per_version(("checker:facts",), lambda: list(fact_list()))}
    if code in facts:
        return display.pick(facts[code], "label")
    other = {"as_of": FactsForm.base_fields["as_of"].label, "unsure": UNSURE, "facts": _("Your answers")}
    return str(other.get(code, code))


MAX_SHARED_FACTS = 20_000  # characters of JSON in a share link: the whole vocabulary answered fits


def share_query(as_of: str, facts: dict, unsure: list[str]) -> str:
    """The query of a link that re-runs the check with these answers (plain: nothing in it is secret)."""
    query = {"as_of": as_of, "facts": json.dumps(facts, ensure_ascii=False, separators=(",", ":"))}
    if unsure:
        query["unsure"] = ",".join(unsure)
    return urlencode(query)


def _result_context(result: dict, facts: dict, unsure: list[str], language: str) -> dict:
    names = caching.per_version(("checker:names", language), _names)
    shown = present(result, names, facts=facts)
    return {
        "result": shown,
        "totals": money_totals(shown["eligible"]),
        "review_totals": money_totals(shown["needs_review"]),
        "share_url": reverse("checker:result") + "?" + share_query(result["as_of"], facts, unsure),
    }


def _render_result(request, state, language):
    result = eligibility_check(facts=state["facts"], as_of=dt.date.fromisoformat(state["as_of"]),
                               unsure=state["unsure"])
    context = {**_result_context(result, state["facts"], state["unsure"], language),
               "state_token": _dump_state(state), "asked": _asked(state),
               "topics": [display.section_label(t) for t in state["topics"] or []]}
    return render(request, "eligibility/interview_result.html", context)


def result_page(request):
    """A shared result: the answers in the link, checked again now (under the current rule version)."""
    error = ""
    try:
        text = request.GET.get("facts", "{}")
        if len(text) > MAX_SHARED_FACTS:
            raise ValueError("too long")
        facts = json.loads(text)
        as_of = parse_iso_date(request.GET.get("as_of", timezone.localdate().isoformat()), "as_of")
        unsure = [code for code in request.GET.get("unsure", "").split(",") if code]
        result = eligibility_check(facts=facts, as_of=as_of, unsure=unsure)
    except (ValueError, RecursionError):
        error = f"{_field_label('facts')}{_(': ')}{Message('invalid_type', expected=Message('expected_object'))}"
    except FactError as exc:
        error = f"{_field_label(exc.field)}{_(': ')}{exc.message}"
    if error:
        return render(request, "eligibility/interview_result.html", {"error": error}, status=400)
    return render(request, "eligibility/interview_result.html",
                  {**_result_context(result, facts, unsure, get_language()), "shared": True})
