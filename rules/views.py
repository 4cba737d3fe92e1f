"""Rule administration pages: versions, the clause editor, review and publication, previews, checks, the case library.

Each view makes one service (or selector) call, like rules.apis, so the pages and the API behave the
same. A refusal (DomainError) is shown next to the field it names; services are atomic, so nothing is
saved when one is refused.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from catalogue import display
from policy_portal.exceptions import DomainError

from . import selectors_admin as selectors
from .apis import export_response, import_upload
from .models import ClauseRule, GoldenCase, RuleVersion
from .operators import OPERATORS_BY_TYPE, VALUELESS_OPERATORS, FactType, Operator
from .permissions import is_rule_administrator
from .services import (
    clause_rule_edit,
    ruleset_draft_create,
    ruleset_publish,
    ruleset_reject,
    ruleset_rollback,
    ruleset_submit,
)
from .services_cases import golden_case_create, golden_case_update
from .static_checks import ERROR, INFO, WARNING

Status = RuleVersion.Status
BLANK_ROWS = 5
CONDITION_COLUMNS = ("group", "fact", "operator", "value", "message_zh", "message_en")
CONDITION_PATH = re.compile(r"^conditions\[(\d+)\](?:\[(\d+)\]\.(\w+))?$")
BUREAU_SPLIT = re.compile(r"[、,，;；\s]+")
RECENT_PUBLICATION = dt.timedelta(minutes=10)

# Labels of our own (with a context), so they never take a translation meant for another page's "Published".
STATUS_LABELS = {
    Status.DRAFT: pgettext_lazy("rule version status", "Draft"),
    Status.IN_REVIEW: pgettext_lazy("rule version status", "In review"),
    Status.PUBLISHED: pgettext_lazy("rule version status", "Published"),
    Status.RETIRED: pgettext_lazy("rule version status", "Retired"),
    Status.REJECTED: pgettext_lazy("rule version status", "Rejected"),
}
SOURCE_LABELS = {
    "fixtures": pgettext_lazy("rule version source", "Policy fixtures"),
    "admin": pgettext_lazy("rule version source", "Administrator's draft"),
    "rollback": pgettext_lazy("rule version source", "Rollback"),
}
ACTION_LABELS = {
    "draft": pgettext_lazy("rule event", "Draft created"),
    "edit": pgettext_lazy("rule event", "Clause edited"),
    "import": pgettext_lazy("rule event", "Spreadsheet imported"),
    "submit": pgettext_lazy("rule event", "Submitted for review"),
    "publish": pgettext_lazy("rule event", "Published"),
    "reject": pgettext_lazy("rule event", "Rejected"),
    "rollback": pgettext_lazy("rule event", "Rolled back"),
}
EXPECTED_LABELS = {
    "eligible": pgettext_lazy("case outcome", "Eligible"),
    "needs_review": pgettext_lazy("case outcome", "Needs review"),
    "not_eligible": pgettext_lazy("case outcome", "Not eligible"),
}
SEVERITY_LABELS = {
    ERROR: pgettext_lazy("finding", "Errors"),
    WARNING: pgettext_lazy("finding", "Warnings"),
    INFO: pgettext_lazy("finding", "Information"),
}
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
    "name": gettext_lazy("Name"),
    "clause": gettext_lazy("Clause"),
    "as_of": gettext_lazy("As of"),
    "facts": gettext_lazy("Facts"),
    "expected": gettext_lazy("Expected outcome"),
    "file": gettext_lazy("File"),
    "note": gettext_lazy("Note"),
}
FACT_HINTS = {
    FactType.BOOL: gettext_lazy("true or false"),
    FactType.INT: gettext_lazy("A whole number, e.g. 3"),
    FactType.MONEY: gettext_lazy("Whole yuan, e.g. 5000000"),
    FactType.RATIO: gettext_lazy("A percentage, e.g. 12.5"),
    FactType.DATE: gettext_lazy("A date in quotes, e.g. \"2026-01-01\"; in_window takes no value"),
    FactType.TEXT: gettext_lazy("Text in quotes; like takes a pattern with *"),
}

# What the services' refusals mean, in the page's language (the API answers with the service's English message).
# Codes in WITH_DETAIL also show the service's own words, which name the values at fault.
ERROR_TEXT = {
    "unknown_fact": gettext_lazy("The facts vocabulary has no such fact."),
    "operator_mismatch": gettext_lazy("This operator does not fit the fact's type."),
    "unexpected_value": gettext_lazy("This operator takes no value: leave the value empty."),
    "invalid_pattern": gettext_lazy("A pattern is text with at least one * wildcard."),
    "invalid_type": gettext_lazy("The value has the wrong type for this fact."),
    "invalid_choice": gettext_lazy("The value is not one of the allowed choices."),
    "out_of_range": gettext_lazy("The value is out of the allowed range."),
    "invalid_precision": gettext_lazy("Percentages take at most two decimals."),
    "invalid_date": gettext_lazy("Enter a real date written YYYY-MM-DD."),
    "null": gettext_lazy("A value cannot be null; leave the condition out instead."),
    "required": gettext_lazy("This is required."),
    "amount_required": gettext_lazy("A ceiling, fixed sum or equity investment needs a positive amount in yuan."),
    "amount_not_applicable": gettext_lazy(
        "Non-monetary support and support without a stated sum have no amount: leave it empty."),
    "not_a_whole_number": gettext_lazy("Enter a whole number."),
    "invalid_window": gettext_lazy("The end date (exclusive) must come after the start."),
    "invalid_bureaus": gettext_lazy("Name each responsible bureau once, by a short name from the list."),
    "unknown_clause": gettext_lazy("This version has no such clause."),
    "not_a_draft": gettext_lazy("Only drafts can be changed; start a new draft."),
    "not_in_review": gettext_lazy("The version is not in review: submit it first."),
    "second_administrator_required": gettext_lazy(
        "Another administrator must review and publish this version: you created or submitted it."),
    "does_not_compile": gettext_lazy("The rule engine could not compile this version."),
    "golden_cases_failed": gettext_lazy("Cases of the library fail under this version, so it cannot be published."),
    "reason_required": gettext_lazy("Say what must change."),
    "not_published": gettext_lazy("Only a version that was published can be copied or restored."),
    "duplicate_name": gettext_lazy("A case with this name already exists."),
    "invalid_json": gettext_lazy("Write the facts as a JSON object, e.g. {\"org_type\": \"enterprise\"}."),
    "invalid_file": gettext_lazy("The file could not be read."),
    "file_too_large": gettext_lazy("The file is too large."),
    "missing_sheet": gettext_lazy("The workbook lacks a sheet."),
    "missing_column": gettext_lazy("A sheet lacks a column."),
    "duplicate_column": gettext_lazy("A column appears twice."),
    "duplicate_row": gettext_lazy("This row repeats an earlier one."),
    "clause_not_listed": gettext_lazy("The clause has no row on the clauses sheet."),
    "too_many_rows": gettext_lazy("The file has too many rows."),
    "invalid_value": gettext_lazy("The value cannot be used."),
    "invalid_yaml": gettext_lazy("The file is not valid YAML."),
    "unknown_key": gettext_lazy("The file has a key the import does not know."),
    "not_found": gettext_lazy("Not found."),
}
WITH_DETAIL = {"unknown_fact", "does_not_compile", "invalid_file",
               "missing_sheet", "missing_column", "duplicate_row", "clause_not_listed", "invalid_yaml", "unknown_key",
               "invalid_value", "unknown_clause"}


def explain(exc: DomainError) -> str:
    """A refusal in the page's language: the service's own message in English, our sentence in Chinese."""
    if display.is_english() or exc.code not in ERROR_TEXT:
        return exc.message
    text = str(ERROR_TEXT[exc.code])
    if exc.code == "golden_cases_failed":
        # "2 case(s) fail under this draft: <name> (<clause>: expected …, got …); …" — keep which cases.
        detail = exc.message.split(": ", 1)[-1]
        failing = _("Failing cases:")
        return f"{text} {failing} {detail}"
    if exc.code == "invalid_bureaus":
        unknown = re.search(r"unknown: ([^)]*)\)", exc.message)
        if unknown and unknown.group(1) != "—":
            return text + _("Not on the list: %(names)s") % {"names": unknown.group(1)}
        return text
    if exc.code in WITH_DETAIL:
        return f"{text}（{exc.message}）"
    return text


def rule_admin_page(view):
    """Signed in, and a rule administrator or administrator; everyone else gets the 403 page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_rule_administrator(request.user):
            return render(request, "rules/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _version_or_404(number: int) -> RuleVersion:
    version = selectors.version_get(number)
    if version is None:
        raise Http404
    return version


def _error(request, exc: DomainError) -> None:
    field = f" ({exc.field})" if exc.field else ""
    messages.error(request, f"{explain(exc)}{field}")


def _note(request) -> str:
    return request.POST.get("note", "").strip()[:2000]


# ---------------------------------------------------------------- versions


@rule_admin_page
def version_list(request):
    current = selectors.current_number()
    versions = list(selectors.version_list())
    for v in versions:
        v.status_label = STATUS_LABELS.get(v.status, v.status)
        v.source_label = SOURCE_LABELS.get(v.source, v.source)
        v.is_current = v.number == current
        v.can_roll_back = v.status in (Status.PUBLISHED, Status.RETIRED) and not v.is_current
    return render(request, "rules/version_list.html", {"versions": versions, "current": current})


@rule_admin_page
@require_POST
def draft_create(request):
    try:
        draft = ruleset_draft_create(actor=request.user, note=_note(request))
    except DomainError as exc:
        _error(request, exc)
        return redirect("ruleadmin:versions")
    messages.success(request, _("Draft v%(number)s created from the current version.") % {"number": draft.number})
    return redirect("ruleadmin:version", number=draft.number)


def _clause_rows(version: RuleVersion) -> list[dict]:
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


def _event_rows(version: RuleVersion) -> list[dict]:
    rows = []
    for e in version.events.all():
        data = e.data or {}
        detail = ""
        if e.action == "edit":
            before, after = data.get("before", {}), data.get("after", {})
            detail = data.get("clause", "")
            if before != after:
                detail += (f": {display.amount(before.get('amount_yuan'), before.get('amount_kind', ''))}"
                           f" → {display.amount(after.get('amount_yuan'), after.get('amount_kind', ''))}")
        elif e.action == "draft" and data.get("based_on"):
            detail = _("copied from v%(number)s") % {"number": data["based_on"]}
        elif e.action == "rollback" and data.get("to_version"):
            detail = _("the rules of v%(number)s") % {"number": data["to_version"]}
        elif e.action == "publish" and data.get("previous"):
            detail = _("replacing v%(number)s") % {"number": data["previous"]}
        elif e.action == "import":
            changed = data.get("changed") or []
            detail = f"{data.get('format', '')}: " + (", ".join(changed) if changed else _("no changes"))
        rows.append({"event": e, "label": ACTION_LABELS.get(e.action, e.action), "detail": detail})
    return rows


def _job_dict(job) -> dict | None:
    if job is None:
        return None
    return {"id": job.pk, "total": job.total, "done": job.done, "changed": job.changed, "percent": job.percent,
            "finished": job.finished}


@rule_admin_page
def version_page(request, number: int):
    version = _version_or_404(number)
    current = selectors.current_number()
    job = selectors.reevaluation_job(version)
    recently_published = (version.status == Status.PUBLISHED and version.published_at is not None
                          and timezone.now() - version.published_at < RECENT_PUBLICATION)
    return render(request, "rules/version_detail.html", {
        "version": version,
        "status_label": STATUS_LABELS.get(version.status, version.status),
        "source_label": SOURCE_LABELS.get(version.source, version.source),
        "is_current": version.number == current,
        "current": current,
        "clauses": _clause_rows(version),
        "events": _event_rows(version),
        "job": job,
        "show_progress": job is not None or recently_published,
        "job_data": {
            "url": reverse("ruleadmin:job-progress", args=[version.number]), "job": _job_dict(job),
            "text": {
                "running": _("{done} of {total} open applications evaluated again…"),
                "finished": _("Finished: {done} of {total} open applications evaluated again; {changed} changed outcome."),
            },
        },
        "changed": selectors.changed_outcomes(job),
        "outcome_labels": EXPECTED_LABELS,
        "is_author": request.user.pk in (version.created_by_id, version.submitted_by_id),
    })


@rule_admin_page
def job_progress(request, number: int):
    """The latest re-evaluation of a version, polled by the version page until it has finished."""
    version = _version_or_404(number)
    return JsonResponse({"version": version.number, "job": _job_dict(selectors.reevaluation_job(version))})


def _transition(request, number: int, service, success: str, **extra):
    version = _version_or_404(number)
    try:
        service(actor=request.user, version=version, note=_note(request), **extra)
    except DomainError as exc:
        _error(request, exc)
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
    return _transition(request, number, ruleset_publish,
                       _("v%(number)s is published and answers everywhere now. Open applications are re-evaluated."))


@rule_admin_page
@require_POST
def version_reject(request, number: int):
    return _transition(request, number, ruleset_reject, _("v%(number)s is rejected and goes back to its author."))


@rule_admin_page
@require_POST
def version_rollback(request, number: int):
    version = _version_or_404(number)
    try:
        restored = ruleset_rollback(actor=request.user, to_version=version, note=_note(request))
    except DomainError as exc:
        _error(request, exc)
        return redirect("ruleadmin:versions")
    messages.success(request, _("The rules of v%(old)s are published again as v%(new)s.") % {"old": version.number,
                                                                                           "new": restored.number})
    return redirect("ruleadmin:version", number=restored.number)


# ---------------------------------------------------------------- the clause editor


def _value_text(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _parse_value(text: str):
    """JSON as typed; text that is not JSON is taken as a string (so 2026-01-01 or enterprise work unquoted)."""
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


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


def _rows_from_rule(rule) -> list[dict]:
    return [{"group": str(c.group + 1), "fact": c.fact_id, "operator": c.operator, "value": _value_text(c.value),
             "message_zh": c.message_zh, "message_en": c.message_en} for c in rule.ordered_conditions]


def _rows_from_post(post) -> list[dict]:
    indices = sorted({int(m.group(1)) for key in post for m in [re.fullmatch(r"cond-(\d+)-fact", key)] if m})
    return [{col: post.get(f"cond-{i}-{col}", "").strip() for col in CONDITION_COLUMNS} for i in indices]


def _blank_row(group: int) -> dict:
    return {"group": str(group), "fact": "", "operator": "", "value": "", "message_zh": "", "message_en": ""}


class _RowError(Exception):
    def __init__(self, row: int, column: str, exc: DomainError):
        self.row, self.column, self.exc = row, column, exc


def _parse_clause_form(post, rows: list[dict]) -> tuple[dict, dict]:
    """The edit's arguments from the form, and where each (group, position) of `conditions` came from (row index)."""
    amount_text = post.get("amount_yuan", "").replace(",", "").replace("，", "").replace(" ", "").strip()
    if amount_text and not re.fullmatch(r"\d{1,16}", amount_text):
        raise DomainError("not_a_whole_number", "Enter the amount as a whole number of yuan.", "amount_yuan")
    dates = {}
    for name in ("effective_from", "effective_to"):
        text = post.get(name, "").strip()
        if not text:
            if name == "effective_from":
                raise DomainError("required", "Enter the date the clause takes effect.", name)
            dates[name] = None
            continue
        try:
            dates[name] = dt.date.fromisoformat(text)
        except ValueError:
            raise DomainError("invalid_date", "Enter a date written YYYY-MM-DD.", name) from None
    used = []
    for i, row in enumerate(rows):
        if not row["fact"]:
            continue  # a row without a fact is left out: that is how a condition is removed without the script
        if not re.fullmatch(r"\d{1,3}", row["group"]) or int(row["group"]) < 1:
            raise _RowError(i, "group", DomainError("not_a_whole_number", "Enter the group as a number from 1.", "group"))
        used.append((int(row["group"]), i))
    groups: dict[int, list[int]] = {}
    for number, i in sorted(used, key=lambda item: item[0]):  # stable: rows keep their order within a group
        groups.setdefault(number, []).append(i)
    conditions, where = [], {}
    for g, (_number, members) in enumerate(sorted(groups.items())):
        group = []
        for p, i in enumerate(members):
            row = rows[i]
            group.append({"fact": row["fact"], "operator": row["operator"], "value": _parse_value(row["value"]),
                          "message_zh": row["message_zh"], "message_en": row["message_en"]})
            where[(g, p)] = i
        conditions.append(group)
    args = {
        "amount_yuan": int(amount_text) if amount_text else None,
        "amount_kind": post.get("amount_kind", ""),
        "effective_from": dates["effective_from"],
        "effective_to": dates["effective_to"],
        "bureaus": [b for b in BUREAU_SPLIT.split(post.get("bureaus", "").strip()) if b],
        "conditions": conditions,
    }
    return args, where


def _place_error(field: str | None, where: dict) -> tuple[int | None, str]:
    """(row index, column) for a condition's field path, or (None, field) for the clause's own fields."""
    match = CONDITION_PATH.match(field or "")
    if not match:
        return None, field or ""
    g, p, column = int(match.group(1)), match.group(2), match.group(3)
    if p is None:
        row = next((i for (gg, _p), i in sorted(where.items()) if gg == g), None)
        return row, "group"
    return where.get((g, int(p))), column


def _field_label(row: int | None, column: str) -> str:
    label = str(FIELD_LABELS.get(column, column))
    if row is None:
        return label
    return _("Condition %(row)s · %(column)s") % {"row": row + 1, "column": label}


def _operator_options(row: dict, fact_types: dict) -> list[tuple[str, str]]:
    """The operators that fit the row's fact (all of them before a fact is chosen), and the one chosen anyway."""
    fitting = OPERATORS_BY_TYPE.get(fact_types.get(row["fact"]), set(Operator.values))
    return [(op, f"{label} ({op})") for op, label in Operator.choices if op in fitting or op == row["operator"]]


@rule_admin_page
def clause_edit(request, number: int, code: str):
    version = _version_or_404(number)
    rule = selectors.clause_rule_get(version, code)
    if rule is None:
        raise Http404
    if version.status != Status.DRAFT:
        messages.error(request, explain(DomainError("not_a_draft", "", "version")))
        return redirect("ruleadmin:version", number=version.number)
    facts = list(selectors.fact_list())
    errors, summary = {}, []
    if request.method == "POST":
        rows = _rows_from_post(request.POST)
        form = {k: request.POST.get(k, "") for k in ("amount_yuan", "amount_kind", "effective_from", "effective_to", "bureaus")}
        where = {}
        try:
            args, where = _parse_clause_form(request.POST, rows)
            clause_rule_edit(actor=request.user, version=version, clause_code=code, **args)
        except _RowError as err:
            errors[(err.row, err.column)] = explain(err.exc)
            summary.append({"label": _field_label(err.row, err.column), "path": err.column, "message": explain(err.exc),
                            "anchor": f"cond-{err.row}-{err.column}"})
        except DomainError as exc:
            row, column = _place_error(exc.field, where)
            errors[(row, column)] = explain(exc)
            anchor = f"cond-{row}-{column}" if row is not None else f"id_{column}"
            summary.append({"label": _field_label(row, column), "path": exc.field or "", "message": explain(exc),
                            "anchor": anchor})
        else:
            messages.success(request, _("%(code)s saved in draft v%(number)s.") % {"code": code, "number": version.number})
            return redirect(f"{reverse('ruleadmin:version', args=[version.number])}#clause-{code}")
    else:
        rows = _rows_from_rule(rule)
        form = {"amount_yuan": "" if rule.amount_yuan is None else str(rule.amount_yuan), "amount_kind": rule.amount_kind,
                "effective_from": rule.effective_from.isoformat(),
                "effective_to": rule.effective_to.isoformat() if rule.effective_to else "",
                "bureaus": "、".join(b.bureau.short_name_zh for b in rule.ordered_bureaus)}
        next_group = max((int(r["group"]) for r in rows), default=0) + 1
        rows += [_blank_row(next_group + i) for i in range(BLANK_ROWS)]
    fact_types = {f.code: f.type for f in facts}
    hints = {f.code: _fact_hint(f) for f in facts}
    for i, row in enumerate(rows):
        row["index"] = i
        row["operators"] = _operator_options(row, fact_types)
        row["hint"] = hints.get(row["fact"], "")
        row["errors"] = {col: errors.get((i, col), "") for col in CONDITION_COLUMNS}
    sections: dict[str, list] = {}
    for f in facts:
        sections.setdefault(display.section_label(f.section), []).append({"code": f.code, "label": display.pick(f, "label")})
    return render(request, "rules/clause_edit.html", {
        "version": version, "rule": rule, "clause": rule.clause, "form": form, "rows": rows,
        "field_errors": {col: msg for (row, col), msg in errors.items() if row is None},
        "summary": summary,
        "amount_kinds": [(k, display.amount_kind(k)) for k in ClauseRule.AmountKind.values],
        "fact_sections": sections.items(),
        "blank_row": {**_blank_row(1), "index": "__i__", "operators": _operator_options(_blank_row(1), fact_types),
                      "errors": {}},
        "bureaus": selectors.bureau_list(),
        "editor_data": _editor_data(facts),
    }, status=400 if summary else 200)


# ---------------------------------------------------------------- before publishing


def _amount_or_dash(yuan, kind) -> str:
    return display.amount(yuan, kind) if kind else "—"


@rule_admin_page
def impact_page(request, number: int):
    version = _version_or_404(number)
    # Over many subjects the preview runs as a background job: the page polls ?progress=1, then reloads.
    report, job = selectors.version_impact_preview(version, start=not request.GET.get("progress"))
    if request.GET.get("progress"):
        return JsonResponse({"version": version.number, "job": _job_dict(job)})
    if report is None:
        return render(request, "rules/impact.html", {
            "version": version, "job": job, "status_label": STATUS_LABELS.get(version.status, version.status),
            "job_data": {"url": request.path + "?progress=1", "job": _job_dict(job), "text": {
                "running": _("{done} of {total} subjects checked…"), "finished": _("Finished.")}},
        })
    def states(items):
        return [{"code": s.code, "status": EXPECTED_LABELS[s.status], "amount": display.amount(s.amount_yuan, s.amount_kind)}
                for s in items]

    changes = []
    for c in report.changes:
        changes.append({
            "subject": c.subject,
            "gained": states(c.gained),
            "lost": states(c.lost),
            "status_changed": [{"code": s.code, "before": EXPECTED_LABELS[s.before], "after": EXPECTED_LABELS[s.after]}
                               for s in c.status_changed],
            "amount_changed": [{"code": a.code, "before": _amount_or_dash(a.before_yuan, a.before_kind),
                                "after": _amount_or_dash(a.after_yuan, a.after_kind)} for a in c.amount_changed],
        })
    return render(request, "rules/impact.html", {
        "version": version, "report": report, "totals": report.totals(), "changes": changes,
        "status_label": STATUS_LABELS.get(version.status, version.status),
    })


@rule_admin_page
def checks_page(request, number: int):
    version = _version_or_404(number)
    today = timezone.localdate()
    findings = selectors.version_findings(version, today)
    groups = []
    for severity in (ERROR, WARNING, INFO):
        items = []
        for f in findings:
            if f.severity == severity:
                message = display.pick(f, "message")
                # Most messages open with the clause's code already; show the pill only when one does not.
                items.append({"finding": f, "message": message, "pill": bool(f.clause) and not message.startswith(f.clause)})
        groups.append({"severity": severity, "label": SEVERITY_LABELS[severity], "items": items})
    return render(request, "rules/checks.html", {
        "version": version, "groups": groups, "today": today,
        "status_label": STATUS_LABELS.get(version.status, version.status),
    })


# ---------------------------------------------------------------- spreadsheets


@rule_admin_page
def export_xlsx(request, number: int):
    return export_response(_version_or_404(number), "xlsx")


@rule_admin_page
def export_yaml(request, number: int):
    return export_response(_version_or_404(number), "yaml")


@rule_admin_page
def import_page(request, number: int):
    version = _version_or_404(number)
    error = None
    if request.method == "POST":
        try:
            report = import_upload(actor=request.user, draft=version, upload=request.FILES.get("file"))
        except DomainError as exc:
            error = {"message": explain(exc), "field": exc.field or ""}
        else:
            if report.changed:
                text = _("Imported %(clauses)s clauses; changed: %(changed)s.") % {
                    "clauses": report.clauses, "changed": "、".join(report.changed)}
            else:
                text = _("Imported %(clauses)s clauses; nothing changed.") % {"clauses": report.clauses}
            messages.success(request, text)
            return redirect("ruleadmin:version", number=version.number)
    return render(request, "rules/import.html", {
        "version": version, "error": error, "status_label": STATUS_LABELS.get(version.status, version.status),
    }, status=400 if error else 200)


# ---------------------------------------------------------------- the case library


def _cases_url(clause: str | None, anchor: str = "") -> str:
    url = reverse("ruleadmin:cases")
    if clause:
        url += f"?clause={clause}"
    return url + (f"#{anchor}" if anchor else "")


def _optional_amount(text: str, field: str = "amount_yuan"):
    text = text.replace(",", "").replace(" ", "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,16}", text):
        raise DomainError("not_a_whole_number", "Enter the amount as a whole number of yuan.", field)
    return int(text)


@rule_admin_page
def case_library(request):
    clause = request.GET.get("clause", "").strip()[:16] or None
    add = {"name": "", "clause": clause or "", "as_of": "", "facts": "{}", "expected": "eligible", "amount_yuan": ""}
    add_errors = {}
    if request.method == "POST":
        add = {k: request.POST.get(k, "").strip() for k in add}
        try:
            as_of = dt.date.fromisoformat(add["as_of"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", add["as_of"]) else None
            if as_of is None:
                raise DomainError("invalid_date", "Enter a date written YYYY-MM-DD.", "as_of")
            try:
                facts = json.loads(add["facts"] or "{}")
            except ValueError:
                raise DomainError("invalid_json", "Write the facts as a JSON object.", "facts") from None
            if not isinstance(facts, dict):
                raise DomainError("invalid_json", "Write the facts as a JSON object.", "facts")
            case = golden_case_create(actor=request.user, name=add["name"], clause_code=add["clause"], as_of=as_of,
                                      facts=facts, expected=add["expected"], amount_yuan=_optional_amount(add["amount_yuan"]))
        except ValueError:
            add_errors["as_of"] = explain(DomainError("invalid_date", "", "as_of"))
        except DomainError as exc:
            column = (exc.field or "").split(".", 1)[0] or "name"
            detail = f" ({exc.field})" if exc.field and exc.field != column else ""
            add_errors[column] = f"{explain(exc)}{detail}"
        else:
            messages.success(request, _("Case added: %(name)s") % {"name": case.name})
            return redirect(_cases_url(case.clause.code, f"case-{case.pk}"))
    cases = list(selectors.case_list(clause=clause))
    for case in cases:
        case.facts_text = json.dumps(case.facts, ensure_ascii=False, indent=1)
        case.expected_label = EXPECTED_LABELS.get(case.expected, case.expected)
    return render(request, "rules/cases.html", {
        "cases": cases, "clause": clause, "clauses": selectors.evaluated_clauses(), "add": add, "add_errors": add_errors,
        "expected_choices": [(k, EXPECTED_LABELS[k]) for k in GoldenCase.Expected.values],
    }, status=400 if add_errors else 200)


@rule_admin_page
@require_POST
def case_edit(request, pk: int):
    case = selectors.case_get(pk)
    if case is None:
        raise Http404
    back = request.POST.get("next", "")
    try:
        golden_case_update(actor=request.user, case_id=pk, expected=request.POST.get("expected", ""),
                           amount_yuan=_optional_amount(request.POST.get("amount_yuan", "")))
    except DomainError as exc:
        messages.error(request, f"{case.name}: {explain(exc)} ({exc.field})")
    else:
        messages.success(request, _("Case saved: %(name)s") % {"name": case.name})
    clause = back if back and re.fullmatch(r"[A-Z0-9.\-]{1,16}", back) else None
    return redirect(_cases_url(clause, f"case-{pk}"))

