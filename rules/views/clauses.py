"""The clause editor: one clause's amount, window, bureaus and condition rows in a draft.

The rows are a formset (prefix "cond"); clause_rule_edit refuses what does not fit the vocabulary,
naming conditions[g][p].column, and the page shows each refusal beside the row and column it came from.
"""
from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import display
from policy_portal.exceptions import DomainError

from ..forms import CONDITION_COLUMNS, ClauseForm, ConditionFormSet, blank_row, condition_rows
from ..models import ClauseRule
from ..operators import OPERATORS_BY_TYPE, VALUELESS_OPERATORS, FactType, Operator
from ..services import clause_rule_edit
from .base import Status, refuse, rule_admin_page, selectors, status_label, version_or_404

BLANK_ROWS = 5
CLAUSE_FIELDS = ("amount_kind", "amount_yuan", "effective_from", "effective_to", "bureaus")
CONDITION_PATH = re.compile(r"^conditions\[(\d+)\](?:\[(\d+)\]\.(\w+))?$")
FIELD_LABELS = {
    "amount_yuan": gettext_lazy("Amount (yuan)"),
    "amount_kind": gettext_lazy("Kind of amount"),
    "effective_from": gettext_lazy("In force from"),
    "effective_to": gettext_lazy("In force until (exclusive)"),
    "bureaus": gettext_lazy("Responsible bureaus"),
    "conditions": gettext_lazy("Conditions"),
    "group": gettext_lazy("Group"),
    "fact": gettext_lazy("Fact"),
    "operator": gettext_lazy("Operator"),
    "value": gettext_lazy("Value"),
    "message_zh": gettext_lazy("Message (Chinese)"),
    "message_en": gettext_lazy("Message (English)"),
}
FACT_HINTS = {
    FactType.BOOL: gettext_lazy("true or false"),
    FactType.INT: gettext_lazy("A whole number, e.g. 3"),
    FactType.MONEY: gettext_lazy("Whole yuan, e.g. 5000000"),
    FactType.RATIO: gettext_lazy("A percentage, e.g. 12.5"),
    FactType.DATE: gettext_lazy("A date in quotes, e.g. \"2026-01-01\"; in_window takes no value"),
    FactType.TEXT: gettext_lazy("Text in quotes; like takes a pattern with *"),
}


def _fact_hint(fact) -> str:
    if fact.type in (FactType.ENUM, FactType.MULTI):
        choices = "、".join(f"{c['value']}（{c['en'] if display.is_english() else c['zh']}）" for c in fact.choices)
        return (_("Several of: %(choices)s") if fact.type == FactType.MULTI else _("One of: %(choices)s")) % {"choices": choices}
    return str(FACT_HINTS.get(fact.type, ""))


def _editor_data(facts) -> dict:
    """What the script needs to fit the operator list and the hint to the chosen fact."""
    return {
        "facts": {f.code: {"type": f.type, "hint": _fact_hint(f)} for f in facts},
        "operators": {t: [op for op in Operator.values if op in ops] for t, ops in OPERATORS_BY_TYPE.items()},
        "labels": {op: f"{label} ({op})" for op, label in Operator.choices},
        "valueless": sorted(VALUELESS_OPERATORS),
    }


def _operator_options(row: dict, fact_types: dict) -> list[tuple[str, str]]:
    """The operators that fit the row's fact (all of them before a fact is chosen), and the one chosen anyway."""
    fitting = OPERATORS_BY_TYPE.get(fact_types.get(row["fact"]), set(Operator.values))
    return [(op, f"{label} ({op})") for op, label in Operator.choices if op in fitting or op == row["operator"]]


def _place(field: str | None, where: dict) -> tuple[int | None, str]:
    """(row index, column) for a condition's field path, or (None, field) for the clause's own fields."""
    match = CONDITION_PATH.match(field or "")
    if not match:
        return None, field or ""
    g, p, column = int(match.group(1)), match.group(2), match.group(3)
    if p is None:
        return next((i for (gg, _p), i in sorted(where.items()) if gg == g), None), "group"
    return where.get((g, int(p))), column


def _summary(form, formset, path: str = "") -> list[dict]:
    """Every error on the page, each linked to its field: the clause's fields first, then the rows."""
    items = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:  # a refusal naming no field of the page (the clause, the conditions as a whole)
            name = path.split("[", 1)[0]
            items.append({"label": FIELD_LABELS.get(name, name), "path": path, "message": errors[0], "anchor": "clause-form"})
        else:
            items.append({"label": FIELD_LABELS.get(name, name), "path": path or name, "message": errors[0],
                          "anchor": f"id_{name}"})
    for i, row in enumerate(formset.forms):
        for column, errors in row.errors.items():
            label = _("Condition %(row)s · %(column)s") % {"row": i + 1, "column": FIELD_LABELS.get(column, column)}
            items.append({"label": label, "path": path or column, "message": errors[0], "anchor": f"cond-{i}-{column}"})
    return items


@rule_admin_page
def clause_edit(request, number: int, code: str):
    version = version_or_404(number)
    rule = selectors.clause_rule_get(version, code)
    if rule is None:
        raise Http404
    if version.status != Status.DRAFT:
        refuse(request, DomainError("not_a_draft", field="version", version=version.number,
                                    status=status_label(version.status)))
        return redirect("ruleadmin:version", number=version.number)
    path = ""
    if request.method == "POST":
        form, formset = ClauseForm(request.POST), ConditionFormSet(request.POST, prefix="cond")
        if form.is_valid() and formset.is_valid():
            conditions, where = formset.conditions()
            try:
                clause_rule_edit(actor=request.user, version=version, clause_code=code, conditions=conditions,
                                 **form.cleaned_data)
            except DomainError as exc:
                row, column = _place(exc.field, where)
                target = form if row is None else formset.forms[row]
                target.add_error(column if column in target.fields else None, exc.message)
                path = exc.field or ""
            else:
                messages.success(request, _("%(code)s saved in draft v%(number)s.") % {"code": code, "number": version.number})
                return redirect(f"{reverse('ruleadmin:version', args=[version.number])}#clause-{code}")
        rows = [{column: row.data.get(row.add_prefix(column), "").strip() for column in CONDITION_COLUMNS}
                for row in formset.forms]
        values = {name: form.data.get(name, "") for name in CLAUSE_FIELDS}
    else:
        form, formset = ClauseForm(initial=ClauseForm.initial_for(rule)), None
        rows = condition_rows(rule)
        rows += [blank_row(max((int(r["group"]) for r in rows), default=0) + 1 + i) for i in range(BLANK_ROWS)]
        values = form.initial
    return _editor_page(request, version, rule, values, rows, form, formset, path)


def _editor_page(request, version, rule, values: dict, rows: list[dict], form, formset, path: str):
    facts = list(selectors.fact_list())
    fact_types = {f.code: f.type for f in facts}
    hints = {f.code: _fact_hint(f) for f in facts}
    for i, row in enumerate(rows):
        errors = formset.forms[i].errors if formset is not None else {}
        row.update(index=i, operators=_operator_options(row, fact_types), hint=hints.get(row["fact"], ""),
                   errors={column: (errors.get(column) or [""])[0] for column in CONDITION_COLUMNS})
    summary = _summary(form, formset, path) if formset is not None else []
    sections: dict[str, list] = {}
    for f in facts:
        sections.setdefault(display.section_label(f.section), []).append({"code": f.code, "label": display.pick(f, "label")})
    return render(request, "rules/clause_edit.html", {
        "version": version, "rule": rule, "clause": rule.clause, "form": values, "rows": rows,
        "field_errors": {name: errors[0] for name, errors in form.errors.items()} if form.is_bound else {},
        "summary": summary,
        "amount_kinds": [(k, display.amount_kind(k)) for k in ClauseRule.AmountKind.values],
        "fact_sections": sections.items(),
        "blank_row": {**blank_row(1), "index": "__prefix__", "operators": _operator_options(blank_row(1), fact_types),
                      "errors": {}},
        "bureaus": selectors.bureau_list(),
        "editor_data": _editor_data(facts),
    }, status=400 if summary else 200)
