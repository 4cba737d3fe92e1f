"""Pages of the registers: public lists and entries, the targets dashboard and its exports (no login);
assessment entry for the responsible bureaus; the IIC scoring form and ranking; an applicant's recognition details.

Each view that writes makes one service call, like the API, so the page and the API behave the same.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, role_of
from policy_portal.exceptions import DomainError
from policy_portal.messages import Bilingual, Message
from subsidies.models import Application, Attachment

from . import display, services
from .dashboard import dashboard_charts, dashboard_rows
from .exports import dashboard_csv, dashboard_xlsx
from .forms import ASSESSMENT_FORMS, IICPlanForm, RecognitionPackageForm
from .models import (
    CentreChange,
    IIC_PLAN_OUTLINE,
    IIC_PLAN_SUMMARY_MAX,
    IICEstablishmentPlan,
    IICScoreSheet,
    IICSelfAssessment,
    RecognitionPackage,
)
from .parts import PLAN_LABELS, is_reviewer
from .scoring import score_sheet
from .selectors import (
    RECOGNITION_CLAUSES,
    REGISTERS,
    assessments_allowed,
    centre_name,
    iic_applications_for,
    iic_ranking,
    indicator_table,
    may_score,
    register_counts,
    register_entries,
    register_entry,
    register_overview,
    centre_changes_for,
    centres_declarable_by,
    status_history,
)
from .services.changes import change_actions
from .services.registers import register_status_change, status_actions_allowed
from .templatetags.carriers import plain

PAGE_SIZE = 20


def _register(slug: str):
    register = REGISTERS.get(slug)
    if register is None:
        raise Http404
    return register


def _error(request, exc: DomainError, form=None):
    """A refusal shown next to its field when the form has it, else as a message."""
    name = (exc.field or "").rpartition(".")[2] if exc.field else ""
    if form is not None and name in form.fields:
        form.add_error(name, exc.message)
    else:
        messages.error(request, exc.message)


def carriers_home(request):
    role = role_of(request.user)
    context = {"counts": register_counts(), "registers": REGISTERS, "titles": display.REGISTER_TITLES, "role": role}
    if role == Role.APPLICANT:
        context["my_applications"] = (
            Application.objects.filter(organisation=organisation_of(request.user), clause__code__in=list(RECOGNITION_CLAUSES))
            .select_related("clause").order_by("-created_at")
        )
    if role == Role.OFFICER:
        context["can_score"] = iic_applications_for(request.user).exists()
    return render(request, "carriers/home.html", context)


def register_list(request, slug: str):
    register = _register(slug)
    q = request.GET.get("q", "").strip()[:100] or None
    labels = display.choice_labels()
    sub_choices = []
    if register.sub_field:
        label_field = {"institute": "mode", "complex": "complex_kind", "incubator": "carrier_kind"}[register.kind]
        sub_choices = [(v, labels[label_field].get(v, n)) for v, n in register.model._meta.get_field(register.sub_field).choices]
    sub = request.GET.get("sub", "").strip() or None
    if sub not in {v for v, _n in sub_choices}:
        sub = None
    page = Paginator(register_entries(register, q=q, sub=sub), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "carriers/register_list.html", {
        "register": register, "title": display.REGISTER_TITLES[slug], "page": page, "q": q or "", "sub": sub,
        "sub_choices": sub_choices, "labels": labels, "query": query.urlencode(),
    })


def register_detail(request, slug: str, pk: int):
    register = _register(slug)
    entry = register_entry(register, pk)
    if entry is None:
        raise Http404
    return render(request, "carriers/register_detail.html", {
        "register": register, "title": display.REGISTER_TITLES[slug], "entry": entry, "labels": display.choice_labels(),
        "can_assess": bool(assessments_allowed(request.user, register, entry)),
        "status_history": status_history(register, entry),
        "status_actions": status_actions_allowed(request.user, register, entry),
        "show_reasons": role_of(request.user) in (Role.OFFICER, Role.ADMIN),
    })


@login_required
@require_POST
def register_status(request, slug: str, pk: int):
    """An officer warns, restores or exits an entry (carriers.services.registers)."""
    _register(slug)
    try:
        register_status_change(actor=request.user, slug=slug, carrier_id=pk, action=request.POST.get("action", ""),
                               reason=request.POST.get("reason", ""))
        messages.success(request, _("The entry's status has been changed."))
    except DomainError as exc:
        _error(request, exc)
    return redirect("carriers:entry", slug=slug, pk=pk)


# ---------------------------------------------------------------- dashboard


def _chart_geometry(charts: list[dict]) -> list[dict]:
    """Bar lengths (percent of the chart's scale) for the CSS charts: the actual figure and the target marker."""
    for chart in charts:
        scale = max([r["target"] or 0 for r in chart["rows"]] + [r["actual"] or 0 for r in chart["rows"]]) or 1
        chart["unit_label"] = display.unit(chart["unit"]).strip()
        for row in chart["rows"]:
            row["unit_label"] = display.unit(row["unit"])
            row["actual_width"] = round(100 * (row["actual"] or 0) / scale, 1)
            row["target_left"] = round(100 * (row["target"] or 0) / scale, 1)
    return charts


def dashboard_page(request):
    rows = dashboard_rows()
    year = timezone.localdate().year
    return render(request, "carriers/dashboard.html", {
        "charts": _chart_geometry(dashboard_charts(rows)), "rows": rows,
        "overview": register_overview(year), "year": year, "titles": display.REGISTER_TITLES,
    })


def dashboard_export(request, fmt: str):
    rows = dashboard_rows()
    if fmt == "csv":
        response = HttpResponse(dashboard_csv(rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            dashboard_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="carrier-targets.{fmt}"'
    return response


# ---------------------------------------------------------------- assessments


def _record(what: str, actor, carrier, data: dict):
    """One service call per kind of entry."""
    if what == "institute":
        return services.institute_assessment_record(actor=actor, institute_id=carrier.pk, **data)
    if what == "complex":
        return services.complex_assessment_record(actor=actor, complex_id=carrier.pk, **data)
    if what == "incubator":
        return services.incubator_assessment_record(actor=actor, carrier_id=carrier.pk, **data)
    if what == "annual_report":
        return services.centre_annual_report_record(actor=actor, centre_id=carrier.pk, **data)
    if what == "evaluation":
        return services.centre_evaluation_record(actor=actor, centre_id=carrier.pk, **data)
    return services.centre_fraud_record(actor=actor, centre_id=carrier.pk, **data)


@login_required
def assess_page(request, slug: str, pk: int):
    register = _register(slug)
    entry = register_entry(register, pk)
    if entry is None:
        raise Http404
    allowed = assessments_allowed(request.user, register, entry)
    if not allowed:
        return render(request, "carriers/not_allowed.html", {
            "message": _("Only officers of the bureaus responsible for this register can enter its assessments."),
        }, status=403)
    labels = display.choice_labels()
    posted = request.POST.get("what") if request.method == "POST" else None
    forms = {}
    for what in allowed:
        form = ASSESSMENT_FORMS[what](request.POST if posted == what else None, labels=labels, prefix=what)
        forms[what] = form
    if posted in forms and forms[posted].is_valid():
        try:
            _record(posted, request.user, entry, forms[posted].cleaned_data)
        except DomainError as exc:
            _error(request, exc, forms[posted])
        else:
            messages.success(request, _("Recorded."))
            return redirect("carriers:assess", slug=slug, pk=pk)
    elif posted is not None and posted not in forms:
        messages.error(request, _("You cannot enter that here."))
    titles = {
        "institute": _("Annual performance evaluation (RIE-2)"),
        "complex": _("Performance evaluation (PIC-4)"),
        "incubator": _("Evaluation (INC-2)"),
        "annual_report": _("Annual assessment reported to 市发展改革委 (IIC-13)"),
        "evaluation": _("Third-party evaluation and dynamic adjustment (IIC-14)"),
        "fraud": _("Verified fraud: adjustment and credit listing (IIC-15)"),
    }
    return render(request, "carriers/assess.html", {
        "register": register, "title": display.REGISTER_TITLES[slug], "entry": entry, "labels": labels,
        "forms": [(what, titles[what], form) for what, form in forms.items()],
    })


# ---------------------------------------------------------------- IIC scoring


def _require_scoring_officer(request):
    if role_of(request.user) != Role.OFFICER:
        raise Http404


@login_required
def centre_changes_page(request):
    """IIC-16: the centre declares, its 主管单位 reports, 市发展改革委 confirms; each change with its due day and state."""
    if role_of(request.user) not in (Role.APPLICANT, Role.OFFICER, Role.ADMIN):
        raise Http404
    today = timezone.localdate()
    form = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "declare":
                form = request.POST
                try:
                    registered_on = dt.date.fromisoformat(request.POST.get("registered_on", ""))
                except ValueError:
                    raise DomainError("invalid_date", field="registered_on") from None
                services.centre_change_declare(
                    actor=request.user, centre_id=request.POST.get("centre"), kind=request.POST.get("kind", ""),
                    registered_on=registered_on, description=request.POST.get("description", ""), today=today)
                messages.success(request, _("The change has been declared."))
                return redirect("carriers:centre-changes")
            change_id = request.POST.get("change")
            if not centre_changes_for(request.user).filter(pk__in=[change_id] if str(change_id).isdigit() else []).exists():
                raise Http404
            if action == "report":
                services.centre_change_report(actor=request.user, change_id=change_id, today=today)
                messages.success(request, _("Reported to 市发展改革委."))
            elif action == "confirm":
                services.centre_change_confirm(actor=request.user, change_id=change_id, today=today)
                messages.success(request, _("Confirmed."))
            else:
                raise Http404
            return redirect("carriers:centre-changes")
        except DomainError as exc:
            _error(request, exc)
    rows = [{"change": c, "state": c.state(today), "actions": change_actions(request.user, c)}
            for c in centre_changes_for(request.user)]
    return render(request, "carriers/centre_changes.html", {
        "rows": rows, "centres": list(centres_declarable_by(request.user)), "kinds": CentreChange.Kind.choices,
        "form": form, "labels": display.choice_labels(),
    })


@login_required
def iic_scoring_list(request):
    _require_scoring_officer(request)
    apps = list(iic_applications_for(request.user))
    return render(request, "carriers/iic_scoring_list.html", {
        "rows": [{"app": a, "name": centre_name(a), "sheets": list(a.iic_score_sheets.all()), "may_score": may_score(request.user, a)}
                 for a in apps],
    })


def _indicator_groups(table, values: dict, errors: dict) -> list[dict]:
    groups = []
    for n, first in enumerate(table.first_level, start=1):
        seconds = []
        for m, second in enumerate(first.children, start=1):
            items = [{"item": i, "number": f"{n}.{m}.{k}", "value": values.get(f"score_{i.key}", ""),
                      "error": errors.get(f"scores.{i.key}")} for k, i in enumerate(second.children, start=1)]
            seconds.append({"group": second, "number": f"{n}.{m}", "items": items})
        groups.append({"group": first, "number": str(n), "seconds": seconds})
    return groups


@login_required
def iic_scoring_form(request, pk: int):
    _require_scoring_officer(request)
    app = iic_applications_for(request.user).filter(pk=pk).first()
    if app is None:
        raise Http404
    table = indicator_table()
    bureau = bureau_of(request.user)
    sheet = IICScoreSheet.objects.filter(application=app, bureau=bureau).first()
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = request.POST
        scores = {i.key: values.get(f"score_{i.key}", "") for i in table.indicators}
        bonus = {i.key: values.get(f"bonus_{i.key}", "") for i in table.bonus_items}
        try:
            saved = services.iic_score_sheet_save(actor=request.user, application_id=app.pk, scores=scores, bonus=bonus)
        except DomainError as exc:
            errors[exc.field or ""] = _scoring_error(table, exc)
        else:
            messages.success(request, _("Score sheet saved: %(total)s of %(max)s points.") % {
                "total": plain(saved.total), "max": table.max_total})
            return redirect("carriers:iic-scoring-form", pk=app.pk)
    elif sheet is not None:
        values = {**{f"score_{k}": plain(Decimal(v)) for k, v in sheet.scores.items()},
                  **{f"bonus_{k}": plain(Decimal(v)) for k, v in sheet.bonus.items()}}
    else:
        values = {}
    totals = None
    if sheet is not None and request.method != "POST":
        totals = score_sheet(table, sheet.scores, sheet.bonus)
    plan = IICEstablishmentPlan.objects.filter(application=app).first()
    return render(request, "carriers/iic_scoring_form.html", {
        "app": app, "name": centre_name(app), "table": table, "groups": _indicator_groups(table, values, errors),
        "bonus_items": [{"item": i, "value": values.get(f"bonus_{i.key}", ""), "error": errors.get(f"bonus.{i.key}")}
                        for i in table.bonus_items],
        "error_list": [(field.replace(".", "-"), message) for field, message in errors.items()], "sheet": sheet, "totals": totals, "may_score": may_score(request.user, app),
        "plan_missing": services.plan_missing(plan), "plan": plan,
        "other_sheets": [s for s in app.iic_score_sheets.all() if s.bureau_id != bureau.pk],
    })


def _scoring_error(table, exc: DomainError) -> str:
    """The refusal in the active language, naming the indicator as 附件2 prints it when the refusal does not."""
    key = (exc.field or "").partition(".")[2]
    item = next((i for i in (*table.indicators, *table.bonus_items) if i.key == key), None)
    if item is None or "name" in exc.params:
        return exc.message
    return str(Message("field_error", field=Bilingual(item.name_zh, item.name_en), detail=exc.message))


@login_required
def iic_ranking_page(request):
    _require_scoring_officer(request)
    return render(request, "carriers/iic_ranking.html", {"ranking": iic_ranking(request.user), "max_total": 110})


# ---------------------------------------------------------------- an applicant's recognition details


@login_required
def recognition_details(request, pk: int):
    org = organisation_of(request.user)
    app = Application.objects.filter(pk=pk, organisation=org, clause__code__in=list(RECOGNITION_CLAUSES)).select_related(
        "clause").first() if org else None
    if app is None:
        raise Http404
    editable = app.status in ("draft", "returned")
    if app.clause.code == "IIC-12":
        return _iic_plan_page(request, app, editable)
    package = RecognitionPackage.objects.filter(application=app).first()
    initial = {}
    if package:
        initial = {"name": package.name, "charter_signed_on": package.charter_signed_on,
                   "members": "\n".join(f"{m['name']}, {m['role']}".rstrip(", ") for m in package.members)}
    form = RecognitionPackageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_package_save(actor=request.user, application_id=app.pk, **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, _("Recognition details saved."))
            return redirect("carriers:recognition-details", pk=app.pk)
    return render(request, "carriers/recognition_details.html", {"app": app, "form": form, "editable": editable,
                                                                  "is_complex": app.clause.code in ("PIC-1", "PIC-2")})


def _iic_plan_page(request, app, editable: bool):
    plan = IICEstablishmentPlan.objects.filter(application=app).prefetch_related("supporting_documents").first()
    attachments = list(Attachment.objects.filter(application=app).order_by("pk"))
    initial = {}
    if plan:
        initial = {f: getattr(plan, f) for _s, items in IIC_PLAN_OUTLINE for f, _l in items
                   if f not in ("charter", "supporting_documents")}
        initial["charter"] = plan.charter_id
        initial["supporting_documents"] = [a.pk for a in plan.supporting_documents.all()]
    form = IICPlanForm(request.POST or None, initial=initial, attachments=attachments)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        charter = data.pop("charter")
        supporting = data.pop("supporting_documents")
        try:
            services.iic_plan_save(actor=request.user, application_id=app.pk, sections=data, charter_id=charter,
                                   supporting_ids=list(supporting))
        except DomainError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, _("Establishment plan saved."))
            return redirect("carriers:recognition-details", pk=app.pk)
    sections = [(title, [form[name] for name, _l in items]) for title, items in IIC_PLAN_OUTLINE]
    return render(request, "carriers/iic_plan.html", {
        "app": app, "form": form, "sections": sections, "editable": editable, "missing": services.plan_missing(plan),
        "summary_max": IIC_PLAN_SUMMARY_MAX, "attachments": attachments,
    })


# ---------------------------------------------------------------- IIC-12 as one procedure: its parts


def _own_iic12(request, pk: int) -> Application:
    org = organisation_of(request.user)
    app = (Application.objects.filter(pk=pk, organisation=org, clause__code="IIC-12").select_related("clause", "organisation")
           .first() if org else None)
    if app is None:
        raise Http404
    return app


@login_required
def iic_self_assessment(request, pk: int):
    """The applicant's own 附件2 evaluation form: part of its IIC-12 application, required before submitting."""
    app = _own_iic12(request, pk)
    table = indicator_table()
    sheet = IICSelfAssessment.objects.filter(application=app).first()
    editable = app.status in ("draft", "returned")
    errors: dict[str, str] = {}
    if request.method == "POST" and editable:
        values = request.POST
        scores = {i.key: values.get(f"score_{i.key}", "") for i in table.indicators}
        bonus = {i.key: values.get(f"bonus_{i.key}", "") for i in table.bonus_items}
        try:
            saved = services.iic_self_assessment_save(actor=request.user, application_id=app.pk, scores=scores,
                                                      bonus=bonus)
        except DomainError as exc:
            errors[exc.field or ""] = _scoring_error(table, exc)
        else:
            messages.success(request, _("Self-assessment saved: %(total)s of %(max)s points.") % {
                "total": plain(saved.total), "max": table.max_total})
            return redirect("applications:detail", pk=app.pk)
    elif sheet is not None:
        values = {**{f"score_{k}": plain(Decimal(v)) for k, v in sheet.scores.items()},
                  **{f"bonus_{k}": plain(Decimal(v)) for k, v in sheet.bonus.items()}}
    else:
        values = {}
    totals = score_sheet(table, sheet.scores, sheet.bonus) if sheet is not None and request.method != "POST" else None
    return render(request, "carriers/iic_scoring_form.html", {
        "self_assessment": True, "app": app, "name": centre_name(app), "table": table,
        "groups": _indicator_groups(table, values, errors),
        "bonus_items": [{"item": i, "value": values.get(f"bonus_{i.key}", ""), "error": errors.get(f"bonus.{i.key}")}
                        for i in table.bonus_items],
        "error_list": [(field.replace(".", "-"), message) for field, message in errors.items()],
        "sheet": sheet, "totals": totals, "may_score": editable, "other_sheets": [],
        "plan_missing": services.plan_missing(IICEstablishmentPlan.objects.filter(application=app).first()),
        "plan": IICEstablishmentPlan.objects.filter(application=app).first(),
    })


@login_required
def iic_parts_page(request, pk: int):
    """The parts of an IIC-12 application as its reviewers read them, at either stage: the 组建方案 (附件1) sub-item
    by sub-item, and the applicant's 附件2 self-assessment beside the reviewers' own score sheets."""
    app = Application.objects.filter(pk=pk, clause__code="IIC-12").select_related(
        "clause", "organisation", "bureau", "district_bureau").first()
    if app is None or not is_reviewer(request.user, app) or app.status == "draft":
        raise Http404
    plan = IICEstablishmentPlan.objects.filter(application=app).select_related("charter").prefetch_related(
        "supporting_documents").first()
    sections = [(title, [(label, getattr(plan, key) if plan and key not in ("charter", "supporting_documents") else "")
                         for key, label in items if key not in ("charter", "supporting_documents")])
                for title, items in IIC_PLAN_OUTLINE]
    self_sheet = IICSelfAssessment.objects.filter(application=app).first()
    table = indicator_table()
    return render(request, "carriers/iic_parts.html", {
        "app": app, "name": centre_name(app), "plan": plan, "sections": sections,
        "plan_missing": [PLAN_LABELS.get(m, m) for m in services.plan_missing(plan)],
        "self_sheet": self_sheet, "self_totals": score_sheet(table, self_sheet.scores, self_sheet.bonus) if self_sheet else None,
        "table": table, "sheets": list(IICScoreSheet.objects.filter(application=app).select_related("bureau")),
        "may_score": may_score(request.user, app),
    })
