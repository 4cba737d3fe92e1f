"""The rule tables as spreadsheets: download a version, upload an edited copy into a draft."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from policy_portal.exceptions import DomainError

from ..spreadsheets import export_response, import_upload
from .base import rule_admin_page, status_label, version_or_404


@rule_admin_page
def export_xlsx(request, number: int):
    return export_response(version_or_404(number), "xlsx")


@rule_admin_page
def export_yaml(request, number: int):
    return export_response(version_or_404(number), "yaml")


@rule_admin_page
def import_page(request, number: int):
    version = version_or_404(number)
    error = None
    if request.method == "POST":
        try:
            report = import_upload(actor=request.user, draft=version, upload=request.FILES.get("file"))
        except DomainError as exc:
            error = {"message": exc.message, "field": exc.field or ""}
        else:
            if report.changed:
                text = _("Imported %(clauses)s clauses; changed: %(changed)s.") % {
                    "clauses": report.clauses, "changed": "、".join(report.changed)}
            else:
                text = _("Imported %(clauses)s clauses; nothing changed.") % {"clauses": report.clauses}
            messages.success(request, text)
            return redirect("ruleadmin:version", number=version.number)
    return render(request, "rules/import.html", {
        "version": version, "error": error, "status_label": status_label(version.status),
    }, status=400 if error else 200)
