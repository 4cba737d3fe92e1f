"""Rule versions: the list, a version's page with its history and re-evaluation, and review and publication."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from catalogue import display
from policy_portal.exceptions import DomainError

from ..cases import CasesFailed
from ..messages import case_failure_message
from ..messages import outcome_label
from ..services import (
    amounts_to_acknowledge,
    editors,
    ruleset_amend,
    ruleset_draft_create,
    ruleset_publish,
    ruleset_reject,
    ruleset_rollback,
    ruleset_submit,
)
from .base import (
    OUTCOME_LABELS,
    SOURCE_LABELS,
    Status,
    job_dict,
    note_of,
    refuse,
    rule_admin_page,
    selectors,
    status_label,
    version_or_404,
)

RECENT_PUBLICATION = dt.timedelta(minutes=10)
ACTION_LABELS = {
    "draft": pgettext_lazy("rule event", "Draft created"),
    "edit": pgettext_lazy("rule event", "Clause edited"),
    "import": pgettext_lazy("rule event", "Spreadsheet imported"),
    "submit": pgettext_lazy("rule event", "Submitted for review"),
    "publish": pgettext_lazy("rule event", "Published"),
    "reject": pgettext_lazy("rule event", "Rejected"),
    "rollback": pgettext_lazy("rule event", "Rollback drafted"),
    "amend": pgettext_lazy("rule event", "Reopened to amend"),
}
UNDER_REVIEW = (Status.DRAFT, Status.IN_REVIEW, Status.REJECTED)


def _expectation(outcome: str, amount_yuan) -> str:
    label = str(outcome_label(outcome))
    return f"{label} · {display.amount(amount_yuan, 'cap')}" if amount_yuan is not None else label


def case_rows(version) -> dict:
    """The case library run against `version`, case by case, as the author and the reviewer see it before
    publishing (the publish gate runs the same cases)."""
    rows = []
    for case, failure in selectors.version_case_results(version):
        rows.append({"name": case.name, "clause": case.clause, "expected": _expectation(case.expected, case.amount_yuan),
                     "passed": failure is None, "what": case_failure_message(failure) if failure else ""})
    rows.sort(key=lambda r: (r["passed"], r["clause"], r["name"]))
    failed = [r for r in rows if not r["passed"]]
    return {"rows": rows, "failed": failed, "passed": [r for r in rows if r["passed"]], "total": len(rows),
            "show_names": display.is_english()}


def case_change_rows(version) -> list[dict]:
    return [{"name": name, "clause": c["clause"], "pk": c["pk"],
             "before": _expectation(c["before"].get("expected", ""), c["before"].get("amount_yuan")),
             "after": _expectation(c["expected"], c["amount_yuan"])}
            for name, c in selectors.version_case_changes(version).items()]


@rule_admin_page
def version_list(request):
    current = selectors.current_number()
    versions = list(selectors.version_list())
    for v in versions:
        v.status_label = status_label(v.status)
        v.source_label = SOURCE_LABELS.get(v.source, v.source)
        v.is_current = v.number == current
        v.can_roll_back = v.status in (Status.PUBLISHED, Status.RETIRED) and not v.is_current
    return render(request, "rules/version_list.html", {"versions": versions, "current": current})


@rule_admin_page
@require_POST
def draft_create(request):
    try:
        draft = ruleset_draft_create(actor=request.user, note=note_of(request))
    except DomainError as exc:
        refuse(request, exc)
        return redirect("ruleadmin:versions")
    messages.success(request, _("Draft v%(number)s created from the current version.") % {"number": draft.number})
    return redirect("ruleadmin:version", number=draft.number)


def _clause_rows(version) -> list[dict]:
    rows = []
    for rule in selectors.version_clause_rules(version):
        rows.append({
            "code": rule.clause.code,
            "title": display.pick(rule.clause, "title"),
            "evaluated": rule.clause.evaluated,
            "amount": display.amount(rule.amount_yuan, rule.amount_kind),
            # "最高 50 万元" already says it is a ceiling; the kind adds nothing to 非资金支持 or 未明确金额.
            "kind": display.amount_kind(rule.amount_kind) if rule.amount_kind not in ("none", "unspecified") else "",
            "window": display.window(rule.effective_from, rule.effective_to),
            "bureaus": [{"name": display.bureau_name(b.bureau), "lead": i == 0} for i, b in enumerate(rule.ordered_bureaus)],
            "conditions": len(rule.ordered_conditions),
        })
    return rows


def _event_detail(e) -> str:
    data = e.data or {}
    if e.action == "edit":
        before, after = data.get("before", {}), data.get("after", {})
        detail = data.get("clause", "")
        if before != after:
            detail += (f": {display.amount(before.get('amount_yuan'), before.get('amount_kind', ''))}"
                       f" → {display.amount(after.get('amount_yuan'), after.get('amount_kind', ''))}")
        return detail
    if e.action == "draft" and data.get("based_on"):
        return _("copied from v%(number)s") % {"number": data["based_on"]}
    if e.action == "rollback" and data.get("to_version"):
        return _("a draft holding the rules of v%(number)s") % {"number": data["to_version"]}
    if e.action == "publish" and (data.get("previous") or data.get("acknowledged")):
        parts = [_("replacing v%(number)s") % {"number": data["previous"]}] if data.get("previous") else []
        parts += [_("%(clause)s's amount acknowledged: %(reason)s") % {"clause": code, "reason": a.get("reason", "")}
                  for code, a in (data.get("acknowledged") or {}).items()]
        return "; ".join(parts)
    if e.action == "import":
        changed = data.get("changed") or []
        return f"{data.get('format', '')}: " + (", ".join(changed) if changed else _("no changes"))
    return ""


def _version_page(request, version, *, failures=(), status=200):
    current = selectors.current_number()
    job = selectors.reevaluation_job(version)
    recently_published = (version.status == Status.PUBLISHED and version.published_at is not None
                          and timezone.now() - version.published_at < RECENT_PUBLICATION)
    return render(request, "rules/version_detail.html", {
        "version": version,
        "status_label": status_label(version.status),
        "source_label": SOURCE_LABELS.get(version.source, version.source),
        "is_current": version.number == current,
        "current": current,
        "clauses": _clause_rows(version),
        "events": [{"event": e, "label": ACTION_LABELS.get(e.action, e.action), "detail": _event_detail(e)}
                   for e in version.events.all()],
        "job": job,
        "show_progress": job is not None or recently_published,
        "job_data": {
            "url": reverse("ruleadmin:job-progress", args=[version.number]), "job": job_dict(job),
            "text": {
                "running": _("{done} of {total} open applications evaluated again…"),
                "finished": _("Finished: {done} of {total} open applications evaluated again; {changed} changed outcome."),
            },
        },
        "changed": selectors.changed_outcomes(job),
        "outcome_labels": OUTCOME_LABELS,
        "is_author": request.user.pk in editors(version),
        "cases": case_rows(version) if version.status in UNDER_REVIEW else None,
        "case_changes": case_change_rows(version),
        "display_english": display.is_english(),  # case names are English data
        "to_acknowledge": ([{"clause": f.clause, "message": f.message} for f in amounts_to_acknowledge(version)]
                           if version.status == Status.IN_REVIEW else []),
        "rejection": next((e.note for e in reversed(list(version.events.all())) if e.action == "reject"), ""),
        "failures": [{"name": f.case, "clause": f.clause, "what": case_failure_message(f)} for f in failures],
    }, status=status)


@rule_admin_page
def version_page(request, number: int):
    return _version_page(request, version_or_404(number))


@rule_admin_page
def job_progress(request, number: int):
    """The latest re-evaluation of a version, polled by the version page until it has finished."""
    version = version_or_404(number)
    return JsonResponse({"version": version.number, "job": job_dict(selectors.reevaluation_job(version))})


def _transition(request, number: int, service, success: str, **extra):
    version = version_or_404(number)
    try:
        service(actor=request.user, version=version, note=note_of(request), **extra)
    except CasesFailed as exc:  # the page lists the failing cases by name, beside the refusal
        refuse(request, exc)
        return _version_page(request, version_or_404(number), failures=exc.failures, status=exc.status)
    except DomainError as exc:
        refuse(request, exc)
    else:
        messages.success(request, success % {"number": version.number})
    return redirect("ruleadmin:version", number=version.number)


@rule_admin_page
@require_POST
def version_submit(request, number: int):
    return _transition(request, number, ruleset_submit,
                       _("v%(number)s is submitted: another administrator reviews and publishes it."))


@rule_admin_page
@require_POST
def version_publish(request, number: int):
    acknowledgements = {key[len("ack-"):]: value for key, value in request.POST.items() if key.startswith("ack-")}
    return _transition(request, number, ruleset_publish,
                       _("v%(number)s is published and answers everywhere now. Open applications are re-evaluated."),
                       acknowledgements=acknowledgements)


@rule_admin_page
@require_POST
def version_reject(request, number: int):
    return _transition(request, number, ruleset_reject, _("v%(number)s is rejected and goes back to its author."))


@rule_admin_page
@require_POST
def version_amend(request, number: int):
    return _transition(request, number, ruleset_amend,
                       _("v%(number)s is a draft again: amend it, then submit it for review."))


@rule_admin_page
@require_POST
def version_rollback(request, number: int):
    """A rollback is a draft like any other: it is submitted, reviewed and published by another administrator."""
    version = version_or_404(number)
    try:
        draft = ruleset_rollback(actor=request.user, to_version=version, note=note_of(request))
    except DomainError as exc:
        refuse(request, exc)
        return redirect("ruleadmin:versions")
    messages.success(request, _("Draft v%(new)s holds the rules of v%(old)s. Check it, then submit it for review: "
                                "another administrator publishes it.") % {"old": version.number, "new": draft.number})
    return redirect("ruleadmin:version", number=draft.number)
