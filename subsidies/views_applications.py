"""Pages of the applications workflow: applicants apply and follow; officers review their bureau's queue.

Each view makes one service call, like the API, so the page and the API behave the same.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import is_bureau_head, role_of
from catalogue import display
from catalogue.models import Clause
from catalogue.procedures import application_clause
from policy_portal.exceptions import DomainError
from policy_portal.messages import Message
from policy_portal.parsers import load_json
from programmes.budgets import budget_for
from rules.models import ClauseRule
from rules.selectors import current_version

from . import limits
from .documents import application_pdf
from .documents import fact_rows as _fact_rows
from .hooks import application_parts
from .models.applications import Stage, Status
from .money import support_left_yuan
from .selectors_applications import (
    allowed_actions,
    application_consultations,
    application_detail,
    application_history,
    application_materials,
    application_or_404,
    application_queue,
    blocked_actions,
    can_consult,
    can_edit,
    claim_warning,
    consultations_to_answer,
    earlier_claims,
    sees_internal,
)
from .services import application_create, application_transition
from .services.appeals import application_appeal
from .services.attachments import attachment_add
from .services.consultations import application_consult, consultation_answer
from .terms import identifier_reads_as_kind, kind_label, rewards_an_item
from .workflow import ACTIONS, INTERNAL_ACTIONS

PAGE_SIZE = 20


def _error(request, exc: DomainError):
    field = f" ({exc.field})" if exc.field else ""
    messages.error(request, f"{exc.message}{field}")


def _item_context(clause) -> dict:
    """How the page asks for the item an application is for: its kind's label, and whether submitting needs it."""
    try:
        required = rewards_an_item(clause)
    except DomainError:
        required = False
    return {"item_label": kind_label(clause.achievement_kind) if clause.achievement_kind else "",
            "item_required": required}


def _facts_from(raw: str) -> dict:
    """The facts carried from the check: a JSON object of values or lists of values, nothing nested deeper."""
    facts = load_json(raw, max_depth=2)
    scalar = (str, int, float, bool, type(None))
    if not isinstance(facts, dict) or not all(
            isinstance(v, scalar) or (isinstance(v, list) and all(isinstance(i, scalar) for i in v))
            for v in facts.values()):
        raise DomainError("invalid_type", field="facts", expected=Message("expected_object"))
    return facts


def _as_of_from(raw: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise DomainError("invalid_date", field="as_of") from None


def _time_left(app) -> tuple[int | None, bool, int]:
    """(working days left, overdue, working days late) of an application a bureau still has to act on."""
    if app.status not in limits.RUNNING or app.due_on is None:
        return None, False, 0
    left = limits.working_days_left(app.due_on)
    overdue = limits.is_overdue(app)
    return left, overdue, max(-left, 1) if overdue else 0


def _current_rule(clause):
    return ClauseRule.objects.filter(version=current_version(), clause=clause).select_related("lead_bureau").first()


@login_required
def application_list(request):
    role = role_of(request.user)
    if role not in (Role.APPLICANT, Role.OFFICER, Role.ADMIN):
        raise Http404
    filters = {
        "clause": request.GET.get("clause", "").strip()[:16] or None,
        "status": request.GET.get("status", "").strip() or None,
        "district": request.GET.get("district", "").strip()[:40] or None,
        "q": request.GET.get("q", "").strip()[:100] or None,
        "changed": request.GET.get("changed") == "1",
        "overdue": request.GET.get("overdue") == "1",
        # officers work through their queue by the time limit (办理时限); applicants see their newest first
        "sort": request.GET.get("sort") if request.GET.get("sort") in ("due", "newest")
        else ("due" if role == Role.OFFICER else "newest"),
    }
    if filters["status"] not in (None, *Status.values):
        filters["status"] = None
    for key in ("submitted_from", "submitted_to"):
        try:
            filters[key] = dt.date.fromisoformat(request.GET.get(key, ""))
        except ValueError:
            filters[key] = None
    page = Paginator(application_queue(request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for app in page.object_list:
        app.days_left, app.overdue, app.late = _time_left(app)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "applications/list.html", {
        "page": page, "filters": filters, "role": role, "statuses": Status.choices, "query": query.urlencode(),
        "clauses": Clause.objects.exclude(kind=Clause.Kind.FRAMEWORK).order_by("position").only("code", "title_zh", "title_en"),
    })


@login_required
def application_new(request):
    """A draft from a check result: the clause and the facts come from the checker."""
    if role_of(request.user) != Role.APPLICANT:
        messages.error(request, _("Only applicant organisations can apply. Sign in with an applicant account."))
        return redirect("applications:list")
    source = request.POST if request.method == "POST" else request.GET
    code = str(source.get("clause", ""))
    if application_clause(code) != code and request.method == "GET":  # IIC-10/11: requirements of IIC-12
        query = source.copy()
        query["clause"] = application_clause(code)
        messages.info(request, _("%(code)s is a requirement of the %(whole)s application: apply for %(whole)s.")
                      % {"code": code, "whole": application_clause(code)})
        return redirect(f"{request.path}?{query.urlencode()}")
    clause = Clause.objects.filter(code=code).select_related("document", "article").first()
    if clause is None or not clause.evaluated:
        raise Http404
    try:
        facts = _facts_from(source.get("facts") or "{}")
        as_of = _as_of_from(source.get("as_of") or "")
    except DomainError as exc:  # a link or form someone edited by hand: say what is wrong, 400
        field = f" ({exc.field})" if exc.field else ""
        return render(request, "400.html", {"message": f"{exc.message}{field}"}, status=400)
    context = {"clause": clause, "rule": _current_rule(clause), **_item_context(clause), "facts_json": json.dumps(facts, ensure_ascii=False),
               "fact_rows": _fact_rows(facts), "as_of": as_of.isoformat() if as_of else "", "form": source,
               "idempotency_key": source.get("idempotency_key") or uuid.uuid4().hex}
    if request.method == "POST":
        try:
            amount = source.get("amount_requested_yuan", "").strip()
            app = application_create(
                actor=request.user, clause_code=clause.code, facts=facts,
                amount_requested_yuan=int(amount) if amount else None,
                description=source.get("description", ""), achievement_key=source.get("achievement_key", ""),
                as_of=as_of, idempotency_key=context["idempotency_key"],
            )
        except ValueError:
            messages.error(request, _("The amount must be a whole number of yuan."))
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Draft saved. Add attachments if needed, then submit."))
            _warn_claims(request, app)
            return redirect("applications:detail", pk=app.pk)
    return render(request, "applications/new.html", context)


def _text_reasons(evaluation, app) -> list[dict]:
    """What the texts add to this clause's answer beyond its conditions (rules.adjustments: support already received
    for the same item, FIM's uncertain first days), from the evaluation's replayed answer."""
    if evaluation is None or evaluation.outcome not in ("needs_review", "superseded") or evaluation.superseded_by:
        return []
    result = evaluation.result or {}
    code = app.clause.code
    for item in result.get("superseded", []):
        if item["code"] == code and item.get("reason_zh"):
            return [{"fact": "prior_support_same_item", "message_zh": item["reason_zh"], "message_en": item["reason_en"]}]
    conditions = {c["fact"] for group in evaluation.trace for c in group["conditions"]}
    for item in result.get("needs_review", []):
        if item["code"] == code:
            return [a for a in item.get("awaiting", []) if a.get("fact") not in conditions]
    return []


def _warn_claims(request, app) -> None:
    """就新、不重复, early: the same item claimed in another of the organisation's applications (issue 10, item 4)."""
    warning = claim_warning(earlier_claims(request.user, app), app)
    if warning is not None:
        messages.warning(request, str(warning))


# Events that are not workflow actions (those are labelled by subsidies.workflow.ACTIONS).
EVENT_LABELS = {
    "create": gettext_lazy("Created"),
    "update": gettext_lazy("Edited"),
    "attach": gettext_lazy("File attached"),
    "consult": gettext_lazy("Bureau consulted"),
    "answer": gettext_lazy("Consultation answered"),
}


def _history(user, app) -> list[dict]:
    """Each event `user` may read, with its action and states in words, in the active language."""
    statuses = dict(Status.choices)
    rows = []
    for row in application_history(user, app):
        action = ACTIONS.get(row["action"]) or INTERNAL_ACTIONS.get(row["action"])
        label = display.pick(action, "label") if action else str(EVENT_LABELS.get(row["action"], row["action"]))
        rows.append({**row, "label": label, "from": statuses.get(row["from_status"], ""),
                     "to": statuses.get(row["to_status"], "")})
    return rows


@login_required
def application_page(request, pk: int):
    app = application_or_404(request.user, pk)
    rule = _current_rule(app.clause)
    evaluation = next(iter(app.evaluations.all()), None)
    actions = {name: ACTIONS[name] for name in allowed_actions(request.user, app)}
    call, materials = application_materials(app)
    claims = earlier_claims(request.user, app)
    return render(request, "applications/detail.html", {
        "call": call, "materials": materials,
        "other_files": [a for a in app.attachments.all()
                        if a.pk not in {row["attachment"].pk for row in materials if row["attachment"]}],
        "text_reasons": _text_reasons(evaluation, app),
        "claims": claims, "claim_warning": claim_warning(claims, app),
        "app": app, "rule": rule, "evaluation": evaluation, "fact_rows": _fact_rows(app.facts),
        **_item_context(app.clause),
        "item_reads_as_kind": identifier_reads_as_kind(app.achievement_kind, app.achievement_key),
        "actions": actions,
        "blocked": blocked_actions(request.user, app),
        "reason_for": (", " if display.is_english() else "、").join(
            display.pick(a, "label") for a in actions.values() if a.reason_required),
        "other_bureaus": [b for b in (rule.bureaus.all() if rule else []) if b.pk != app.bureau_id],
        "can_consult": can_consult(request.user, app),
        "can_edit": can_edit(request.user, app),
        "to_answer": consultations_to_answer(request.user, app),
        "is_district_stage": app.stage == Stage.DISTRICT,
        "history": _history(request.user, app),
        "consultations": application_consultations(request.user, app),
        "parts": application_parts(request.user, app),
        "internal": sees_internal(request.user),  # officers' usernames are for officers
        **_money(request.user, app, actions),
        "time": _time(app),
    })


def _money(user, app, actions) -> dict:
    """Before approving: the budget left for the year and what the organisation has left under the yearly cap."""
    year = timezone.localdate().year
    left = {"support_left_yuan": support_left_yuan(app.organisation_id, year)}
    if "approve" not in actions:
        return left
    budget = budget_for(app.clause, year)
    return {**left, "budget_remaining_yuan": budget.remaining_yuan if budget else None,
            "may_override": is_bureau_head(user)}


def _time(app) -> dict:
    left, overdue, late = _time_left(app)
    return {"due_on": app.due_on if left is not None else None, "days_left": left, "overdue": overdue, "late": late,
            "expected": limits.expected_decision_on(app),
            "appeal_until": limits.appeal_deadline(app) if app.status == Status.REJECTED else None}


DONE = {"submit": gettext_lazy("Submitted. The responsible bureau has been notified.")}


@login_required
@require_POST
def application_act(request, pk: int):
    application_or_404(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "appeal":
            application_appeal(actor=request.user, application_id=pk, reason=request.POST.get("reason", ""),
                               files=request.FILES.getlist("files"))
            messages.success(request, _("Your appeal has been sent to another officer of the bureau."))
        elif action == "consult":
            application_consult(actor=request.user, application_id=pk, bureau=request.POST.get("bureau", ""),
                                question=request.POST.get("question", ""))
            messages.success(request, _("The bureau has been consulted."))
        elif action == "answer":
            consultation_answer(actor=request.user, application_id=pk,
                                consultation_id=int(request.POST.get("consultation") or 0),
                                answer=request.POST.get("answer", ""))
            messages.success(request, _("Answer recorded."))
        else:
            amount = request.POST.get("amount_approved_yuan", "").strip()
            lock = request.POST.get("lock_version", "").strip()
            application_transition(
                actor=request.user, application_id=pk, action=action, reason=request.POST.get("reason", ""),
                amount_approved_yuan=int(amount) if amount else None, to_bureau=request.POST.get("to_bureau") or None,
                expected_lock_version=int(lock) if lock else None,
                override_reason=request.POST.get("override_reason", ""),
            )
            done = DONE.get(action) or _("Done: %(action)s.") % {"action": display.pick(ACTIONS[action], "label")}
            messages.success(request, done)
            if action in ("submit", "resubmit"):
                _warn_claims(request, application_or_404(request.user, pk))
    except ValueError:
        messages.error(request, _("The amount must be a whole number of yuan."))
    except DomainError as exc:
        _error(request, exc)
    if application_detail(request.user, pk) is None:  # reassigned away from this officer
        return redirect("applications:list")
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    application_or_404(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            material = request.POST.get("material", "").strip()
            attachment_add(actor=request.user, application_id=pk, upload=upload,
                           material_id=int(material) if material.isdigit() else None)
            messages.success(request, _("File attached."))
        except DomainError as exc:
            _error(request, exc)
    return redirect("applications:detail", pk=pk)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    app = application_or_404(request.user, pk)
    attachment = next((a for a in app.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


@login_required
def application_document(request, pk: int):
    """The submitted application as a printable PDF (申报书)."""
    app = application_or_404(request.user, pk)
    try:
        pdf = application_pdf(app)
    except DomainError as exc:
        _error(request, exc)
        return redirect("applications:detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{app.reference}.pdf"'
    return response
