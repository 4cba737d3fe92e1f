"""The case library: every case, by clause; a new case; what a case expects, changed beside a draft."""
from __future__ import annotations

import json
import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from policy_portal.exceptions import DomainError

from ..forms import CaseEditForm, CaseForm
from ..models import GoldenCase
from ..services_cases import golden_case_create, golden_case_update
from .base import OUTCOME_LABELS, rule_admin_page, selectors

CLAUSE_CODE = re.compile(r"[A-Z0-9.\-]{1,16}")


def _cases_url(clause: str | None, anchor: str = "") -> str:
    url = reverse("ruleadmin:cases")
    if clause:
        url += f"?clause={clause}"
    return url + (f"#{anchor}" if anchor else "")


def _first_errors(form) -> dict[str, str]:
    return {name: errors[0] for name, errors in form.errors.items()}


@rule_admin_page
def case_library(request):
    clause = request.GET.get("clause", "").strip()[:16] or None
    add, add_errors = {**CaseForm.EMPTY, "clause": clause or ""}, {}
    if request.method == "POST":
        form = CaseForm(request.POST)
        add = {name: request.POST.get(name, "").strip() for name in CaseForm.EMPTY}
        if form.is_valid():
            v = form.cleaned_data
            try:
                case = golden_case_create(actor=request.user, name=v["name"], clause_code=v["clause"], as_of=v["as_of"],
                                          facts=v["facts"], expected=v["expected"], amount_yuan=v["amount_yuan"])
            except DomainError as exc:
                column = (exc.field or "").split(".", 1)[0] or "name"
                where = f" ({exc.field})" if exc.field and exc.field != column else ""
                add_errors[column] = f"{exc.message}{where}"
            else:
                messages.success(request, _("Case added: %(name)s") % {"name": case.name})
                return redirect(_cases_url(case.clause.code, f"case-{case.pk}"))
        else:
            add_errors = _first_errors(form)
    cases = list(selectors.case_list(clause=clause))
    for case in cases:
        case.facts_text = json.dumps(case.facts, ensure_ascii=False, indent=1)
        case.expected_label = OUTCOME_LABELS.get(case.expected, case.expected)
    return render(request, "rules/cases.html", {
        "cases": cases, "clause": clause, "clauses": selectors.evaluated_clauses(), "add": add, "add_errors": add_errors,
        "expected_choices": [(k, OUTCOME_LABELS[k]) for k in GoldenCase.Expected.values],
    }, status=400 if add_errors else 200)


@rule_admin_page
@require_POST
def case_edit(request, pk: int):
    case = selectors.case_get(pk)
    if case is None:
        raise Http404
    form = CaseEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{case.name}: {next(iter(form.errors.values()))[0]}")
    else:
        try:
            golden_case_update(actor=request.user, case_id=pk, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, f"{case.name}: {exc.message}")
        else:
            messages.success(request, _("Case saved: %(name)s") % {"name": case.name})
    back = request.POST.get("next", "")
    clause = back if back and CLAUSE_CODE.fullmatch(back) else None
    return redirect(_cases_url(clause, f"case-{pk}"))
