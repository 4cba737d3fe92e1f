"""Before publishing: who a version changes (the impact preview) and what can never hold (the static checks)."""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from catalogue import display

from ..static_checks import ERROR, INFO, WARNING
from .base import OUTCOME_LABELS, job_dict, rule_admin_page, selectors, status_label, version_or_404
from .versions import case_rows  # the version page lists the same case results

SEVERITY_LABELS = {
    ERROR: pgettext_lazy("finding", "Errors"),
    WARNING: pgettext_lazy("finding", "Warnings"),
    INFO: pgettext_lazy("finding", "Information"),
}


def _amount_or_dash(yuan, kind) -> str:
    return display.amount(yuan, kind) if kind else "—"


def _states(items) -> list[dict]:
    return [{"code": s.code, "status": OUTCOME_LABELS[s.status], "amount": display.amount(s.amount_yuan, s.amount_kind)}
            for s in items]


@rule_admin_page
def impact_page(request, number: int):
    version = version_or_404(number)
    # Over many subjects the preview runs as a background job: the page polls ?progress=1, then reloads.
    report, job = selectors.version_impact_preview(version, start=not request.GET.get("progress"))
    if request.GET.get("progress"):
        return JsonResponse({"version": version.number, "job": job_dict(job)})
    if report is None:
        return render(request, "rules/impact.html", {
            "version": version, "job": job, "status_label": status_label(version.status),
            "job_data": {"url": request.path + "?progress=1", "job": job_dict(job), "text": {
                "running": _("{done} of {total} subjects checked…"), "finished": _("Finished.")}},
        })
    changes = [{
        "subject": c.subject,
        "gained": _states(c.gained),
        "lost": _states(c.lost),
        "status_changed": [{"code": s.code, "before": OUTCOME_LABELS[s.before], "after": OUTCOME_LABELS[s.after]}
                           for s in c.status_changed],
        "amount_changed": [{"code": a.code, "before": _amount_or_dash(a.before_yuan, a.before_kind),
                            "after": _amount_or_dash(a.after_yuan, a.after_kind)} for a in c.amount_changed],
    } for c in report.changes]
    return render(request, "rules/impact.html", {
        "version": version, "report": report, "totals": report.totals(), "changes": changes,
        "status_label": status_label(version.status),
    })


@rule_admin_page
def checks_page(request, number: int):
    version = version_or_404(number)
    today = timezone.localdate()
    findings = selectors.version_findings(version, today)
    groups = []
    for severity in (ERROR, WARNING, INFO):
        items = []
        for f in findings:
            if f.severity == severity:
                message = f.message
                # Most messages open with the clause's code already; show the pill only when one does not.
                items.append({"finding": f, "message": message, "pill": bool(f.clause) and not message.startswith(f.clause)})
        groups.append({"severity": severity, "label": SEVERITY_LABELS[severity], "items": items})
    return render(request, "rules/checks.html", {
        "version": version, "groups": groups, "today": today, "status_label": status_label(version.status),
        "cases": case_rows(version),
    })
