"""Pages: 为您匹配 and the profile (applicants), official lists (administrators), matches per clause (officers).

Each page makes one service call per action; refusals come back as messages beside the form.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import organisation_of, role_of
from catalogue.display import is_english
from policy_portal.exceptions import DomainError
from rules.models import Fact

from . import selectors
from .models import ListImport, ListKind, Match, Source
from .services.applying import clause_matching_set, match_apply, match_dismiss, proposed_awards_confirm
from .services.lists import cell_value, fact_labels, list_import_apply, list_import_discard, list_import_preview
from .services.profiles import RECORD_FACTS, effective_profile, profile_facts_declare

MAX_UPLOAD = 20 * 1024 * 1024


def _error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


def _require(request, *roles) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if role_of(request.user) not in roles:
        raise PermissionDenied


def _fact_label(fact: Fact | None, code: str) -> str:
    if fact is None:
        return code
    return fact.label_en if is_english() else fact.label_zh


def _value_label(fact: Fact | None, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if fact is not None and fact.choices:
        names = {c["value"]: (c["en"] if is_english() else c["zh"]) for c in fact.choices}
        if isinstance(value, list):
            return "、".join(names.get(v, v) for v in value)
        return names.get(value, value)
    return str(value)


SOURCE_LABELS = dict(Source.choices)


# ---------------------------------------------------------------- applicants


@login_required
def my_matches(request):
    _require(request, Role.APPLICANT)
    rows = selectors.matches_of(organisation_of(request.user))
    return render(request, "matching/mine.html", {"rows": rows})


@login_required
@require_POST
def apply(request, pk: int):
    _require(request, Role.APPLICANT)
    try:
        application = match_apply(actor=request.user, match_id=pk)
    except DomainError as exc:
        _error(request, exc)
        return redirect("matching:mine")
    messages.success(request, _("The application is drafted from your profile: check it, add materials, then submit."))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def dismiss(request, pk: int):
    _require(request, Role.APPLICANT)
    try:
        match_dismiss(actor=request.user, match_id=pk)
    except DomainError as exc:
        _error(request, exc)
    return redirect("matching:mine")


@login_required
def profile_page(request):
    _require(request, Role.APPLICANT)
    organisation = organisation_of(request.user)
    facts = {f.code: f for f in Fact.objects.order_by("section", "position", "code")}
    if request.method == "POST":
        code = request.POST.get("fact", "")
        raw = request.POST.get("value", "").strip()
        fact = facts.get(code)
        try:
            if fact is None:
                raise DomainError("unknown_fact", field="fact", fact=code)
            value = cell_value(fact, fact_labels(fact), raw) if raw else ""
            profile_facts_declare(actor=request.user, facts={code: value})
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Saved. Your matches are being updated."))
            return redirect("matching:profile")
    profile = effective_profile(organisation)
    conflicts = {c["fact"] for c in profile.conflicts}
    rows = [{"code": code, "label": _fact_label(facts.get(code), code),
             "value": _value_label(facts.get(code), value),
             "declared": (_value_label(facts.get(code), profile.declared[code]) if code in conflicts else ""),
             "source": SOURCE_LABELS.get(profile.sources[code][0], ""), "confirmed": profile.sources[code][1]}
            for code, value in profile.facts.items()]
    choices = [(f.code, _fact_label(f, f.code)) for f in facts.values() if f.code not in RECORD_FACTS]
    return render(request, "matching/profile.html", {"rows": rows, "choices": choices, "organisation": organisation})


# ---------------------------------------------------------------- administrators: official lists


@login_required
def lists_page(request):
    _require(request, Role.ADMIN)
    kinds = ListKind.objects.order_by("code")
    if request.method == "POST":
        upload = request.FILES.get("file")
        mapping = None
        text = request.POST.get("mapping", "").strip()
        try:
            if upload is None:
                raise DomainError("required", field="file")
            if upload.size > MAX_UPLOAD:
                raise DomainError("file_too_large", field="file", limit_mb=MAX_UPLOAD // (1024 * 1024))
            if text:
                mapping = {}
                for line in text.splitlines():
                    column, sep, target = line.partition("=")
                    if not sep or not column.strip() or not target.strip():
                        raise DomainError("list_mapping_invalid", field="mapping", target=line.strip()[:40])
                    mapping[column.strip()] = target.strip()
            record = list_import_preview(actor=request.user, kind_code=request.POST.get("kind", ""),
                                         data=upload.read(), file_name=upload.name, mapping=mapping)
        except DomainError as exc:
            _error(request, exc)
        else:
            return redirect("matching:import", pk=record.pk)
    mappings = [(k, "\n".join(f"{c}={t}" for c, t in k.mapping.items())) for k in kinds]
    return render(request, "matching/lists.html", {"kinds": kinds, "mappings": mappings,
                                                   "imports": selectors.recent_imports()})


@login_required
def import_page(request, pk: int):
    _require(request, Role.ADMIN)
    record = get_object_or_404(ListImport.objects.select_related("kind", "job"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "apply":
                list_import_apply(actor=request.user, import_id=pk)
                messages.success(request, _("The list is applied; the organisations on it are being matched."))
            elif request.POST.get("action") == "discard":
                list_import_discard(actor=request.user, import_id=pk)
        except DomainError as exc:
            _error(request, exc)
        return redirect("matching:import", pk=pk)
    facts = {f.code: f for f in Fact.objects.all()}
    shown = [{"row": r["row"], "credit_code": r["credit_code"], "name": r["name"], "known": bool(r.get("organisation")),
              "facts": [(_fact_label(facts.get(f), f), _value_label(facts.get(f), v), r.get("changes", {}).get(f, ""))
                        for f, v in r["facts"].items()]}
             for r in record.rows[:50]]
    job = record.job
    running = job is not None and not job.finished
    return render(request, "matching/import.html", {"record": record, "rows": shown, "summary": record.summary,
                                                    "job": job, "running": running})


# ---------------------------------------------------------------- what would make a clause apply


def _target_text(change: dict, fact: Fact | None) -> str:
    target = change["target"]
    if "from" in target:
        return _("a date from %(start)s to %(end)s") % {"start": target["from"], "end": target["to"]}
    if "at_least" in target:
        return _("at least %(value)s") % {"value": target["at_least"]}
    if "at_most" in target:
        return _("at most %(value)s") % {"value": target["at_most"]}
    if "value" in target:
        return _value_label(fact, target["value"])
    if "includes" in target:
        return _value_label(fact, target["includes"])
    if target.get("stated"):
        return _("state it")
    return str(target.get("pattern", ""))


def what_if_page(request):
    """The check page's near misses link here: per unmet group, the smallest change that would meet it."""
    import datetime as dt
    import json

    from django.utils import timezone

    from rules.selectors import current_version, rulebook_for_version

    from .whatif import what_if

    code = request.GET.get("clause", "")
    try:
        facts = json.loads(request.GET.get("facts") or "{}")
        as_of = dt.date.fromisoformat(request.GET["as_of"]) if request.GET.get("as_of") else timezone.localdate()
    except ValueError:
        raise Http404 from None
    if not isinstance(facts, dict):
        raise Http404
    allow = request.GET.get("allow_unchangeable") == "1"
    try:
        answer = what_if(rulebook_for_version(current_version()), facts, as_of, code, allow_unchangeable=allow)
    except DomainError as exc:
        return render(request, "matching/what_if.html", {"error": exc.message, "code": code}, status=400)
    labels = {f.code: f for f in Fact.objects.filter(code__in=[c["fact"] for c in answer["changes"]])}
    english = is_english()
    changes = [{**c, "label": c["label_en"] if english else c["label_zh"],
                "message": c["message_en"] if english else c["message_zh"],
                "current_text": "" if c["current"] is None else _value_label(labels.get(c["fact"]), c["current"]),
                "target_text": _target_text(c, labels.get(c["fact"]))} for c in answer["changes"]]
    blocked = [g["message_en"] if english else g["message_zh"] for g in answer["unchangeable"]]
    query = request.GET.copy()
    query["allow_unchangeable"] = "1"
    return render(request, "matching/what_if.html", {
        "code": code, "answer": answer, "changes": changes, "blocked": blocked, "allow": allow,
        "allow_query": query.urlencode(), "clause": answer["clause"]})


# ---------------------------------------------------------------- officers


@login_required
def clauses_page(request):
    _require(request, Role.OFFICER, Role.ADMIN)
    return render(request, "matching/clauses.html", {"rows": selectors.clause_counts(),
                                                     "conflicts": selectors.conflicts()[:100]})


@login_required
def clause_page(request, code: str):
    _require(request, Role.OFFICER, Role.ADMIN)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "mode":
                clause_matching_set(actor=request.user, clause_code=code,
                                    no_application=request.POST.get("no_application") == "1")
            else:
                ids = [int(i) for i in request.POST.getlist("match") if i.isdigit()]
                count = proposed_awards_confirm(actor=request.user, clause_code=code, match_ids=ids)
                messages.success(request, _("%(count)s award(s) confirmed.") % {"count": count})
        except DomainError as exc:
            _error(request, exc)
        return redirect("matching:clause", code=code)
    row = next((r for r in selectors.clause_counts() if r["code"] == code), None)
    head = row["head"] if row else selectors._heads().get(code)
    if head is None:
        raise Http404
    matches = list(selectors.clause_matches(code)[:500])
    return render(request, "matching/clause.html", {"code": code, "head": head, "row": row, "matches": matches,
                                                    "proposed": [m for m in matches if m.status == Match.Status.PROPOSED]})
