"""Pages of 公示 (public list, objection form, the bureau's answers), payments (兑现) and statistics."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import bureau_of, role_of
from catalogue.models import Clause
from policy_portal.exceptions import DomainError
from subsidies.models.applications import Status

from . import exports, selectors, services
from .apis import AddressThrottle
from .models import ObjectionFile, PublicityList
from .statistics import GROUPS, statistics, totals


def _refused(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


def _int(value, default=None):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else default


# ---------------------------------------------------------------- 公示


def publicity_list_page(request):
    status = request.GET.get("status") or None
    if status not in (None, *PublicityList.Status.values):
        status = None
    page = Paginator(selectors.publicity_lists(status=status), 20).get_page(request.GET.get("page"))
    bureau = bureau_of(request.user) if request.user.is_authenticated else None
    waiting = []
    if bureau is not None:
        codes = services.listable(bureau_id=bureau.pk).values_list("clause__code", flat=True).distinct()
        waiting = list(Clause.objects.filter(code__in=list(codes)).order_by("code"))
    return render(request, "payments/publicity_list.html", {
        "page": page, "status": status, "statuses": PublicityList.Status.choices, "waiting": waiting,
        "default_days": settings.PORTAL_PUBLICITY_WORKING_DAYS})


@login_required
@require_POST
def publicity_create_view(request):
    try:
        publicity = services.publicity_create(actor=request.user, clause_code=request.POST.get("clause", ""),
                                              title=request.POST.get("title", ""),
                                              working_days=_int(request.POST.get("working_days"), -1)
                                              if request.POST.get("working_days") else None)
    except DomainError as exc:
        _refused(request, exc)
        return redirect("payments:publicity")
    messages.success(request, _("The publicity list is published."))
    return redirect("payments:publicity-detail", pk=publicity.pk)


def publicity_page(request, pk: int):
    publicity = selectors.publicity_get(pk)
    if publicity is None:
        raise Http404
    answering = request.user.is_authenticated and selectors.may_answer(request.user, publicity)
    today = timezone.localdate()
    return render(request, "payments/publicity_detail.html", {
        "publicity": publicity, "answering": answering,
        "objections": selectors.objections_of(publicity) if answering else [],
        "accepting": publicity.status == PublicityList.Status.OPEN and publicity.starts_on <= today <= publicity.ends_on,
    })


@require_POST
def objection_lodge_view(request, pk: int):
    if not AddressThrottle().allow_request(request, None):
        messages.error(request, DomainError("throttled").message)
        return redirect("payments:publicity-detail", pk=pk)
    try:
        services.objection_lodge(publicity_id=pk, entry_id=_int(request.POST.get("entry"), 0),
                                 name=request.POST.get("name", ""), contact=request.POST.get("contact", ""),
                                 reasons=request.POST.get("reasons", ""), files=request.FILES.getlist("files"),
                                 address=request.META.get("REMOTE_ADDR"))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Your objection is received; the bureau will answer it."))
    return redirect("payments:publicity-detail", pk=pk)


@login_required
def objection_file(request, pk: int, objection_id: int, file_id: int):
    """An objection's evidence, for the list's bureau only (it may name people)."""
    publicity = selectors.publicity_get(pk)
    stored = ObjectionFile.objects.filter(pk=file_id, objection_id=objection_id, objection__publicity_id=pk).first()
    if publicity is None or stored is None or not selectors.may_answer(request.user, publicity):
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=stored.content_type)


@login_required
@require_POST
def objection_answer_view(request, pk: int, objection_id: int):
    try:
        services.objection_answer(actor=request.user, objection_id=objection_id,
                                  upheld=request.POST.get("upheld") == "1", answer=request.POST.get("answer", ""))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The answer is recorded."))
    return redirect("payments:publicity-detail", pk=pk)


# ---------------------------------------------------------------- 兑现


@login_required
def payments_page(request):
    role = role_of(request.user)
    page = Paginator(selectors.payment_orders(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "payments/payments.html", {
        "page": page, "paying": role in (Role.OFFICER, Role.ADMIN), "confirming": role == Role.APPLICANT,
        "today": timezone.localdate()})


@login_required
@require_POST
def payment_act(request, pk: int):
    action = request.POST.get("action")
    try:
        if action == "pay":
            try:
                paid_on = dt.date.fromisoformat(request.POST.get("paid_on", ""))
            except ValueError:
                raise DomainError("invalid_date", field="paid_on") from None
            services.instalment_pay(actor=request.user, instalment_id=_int(request.POST.get("instalment"), 0),
                                    paid_on=paid_on, voucher_no=request.POST.get("voucher_no", ""))
        elif action == "confirm":
            services.instalment_confirm(actor=request.user, instalment_id=_int(request.POST.get("instalment"), 0))
        elif action == "cancel":
            services.order_cancel(actor=request.user, order_id=pk, reason=request.POST.get("reason", ""))
        else:
            raise DomainError("invalid_choice", field="action")
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("payments:payments")


# ---------------------------------------------------------------- statistics


def group_labels() -> dict[str, str]:
    return {"clause": _("Clause"), "bureau": _("Bureau"), "district": _("District"), "month": _("Month")}


@login_required
def statistics_page(request):
    if role_of(request.user) not in (Role.OFFICER, Role.ADMIN):
        return render(request, "payments/not_allowed.html", status=403)
    group_by = request.GET.get("group_by") if request.GET.get("group_by") in GROUPS else "clause"
    year = _int(request.GET.get("year"))
    year = year if year and 2020 <= year <= 2100 else None
    measure = _int(request.GET.get("measure"))
    measure = measure if measure and 1 <= measure <= 99 else None
    district = (request.GET.get("district") or "").strip()[:40] or None
    status = request.GET.get("status") if request.GET.get("status") in Status.values else None
    rows = statistics(group_by=group_by, year=year, measure=measure, district=district, status=status)
    total = totals(rows)
    labels = group_labels()
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        lines = exports.table(labels[group_by], rows, total)
        name = f"statistics-{group_by}-{year or 'all'}"
        if fmt == "csv":
            response = HttpResponse(exports.to_csv(lines), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(exports.to_xlsx(lines, _("Statistics")),
                                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    chart = {"keys": [r.key for r in rows], "approved": [r.amount_approved_yuan for r in rows],
             "paid": [r.amount_paid_yuan for r in rows], "applications": [r.count_applications for r in rows],
             "labels": {"approved": _("Amount approved (yuan)"), "paid": _("Amount paid (yuan)"),
                        "applications": _("Applications")}}
    this_year = timezone.localdate().year
    return render(request, "payments/statistics.html", {
        "rows": rows, "total": total, "group_by": group_by, "groups": labels.items(), "group_label": labels[group_by],
        "year": year, "years": range(this_year, this_year - 6, -1), "measure": measure, "district": district or "",
        "status": status, "statuses": Status.choices, "chart": chart, "query": query.urlencode(),
        "budget_year": year or this_year, "budgets": selectors.budgets(year=year or this_year)})
