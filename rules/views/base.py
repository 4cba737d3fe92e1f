"""What every rule administration page shares: who may see it, the version it is about, labels, refusals.

A refusal (DomainError) is shown in the page's language from the message catalogue (exc.message),
like the API's; services are atomic, so nothing is saved when one is refused.
"""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import pgettext_lazy

from policy_portal.exceptions import DomainError

from .. import selectors_admin as selectors
from ..messages import OUTCOME_LABELS, STATUS_LABELS, status_label
from ..models import RuleVersion
from ..permissions import is_rule_administrator

__all__ = ["OUTCOME_LABELS", "STATUS_LABELS", "Status", "status_label", "rule_admin_page", "version_or_404",
           "refuse", "note_of", "selectors"]

Status = RuleVersion.Status
SOURCE_LABELS = {
    "fixtures": pgettext_lazy("rule version source", "Policy fixtures"),
    "admin": pgettext_lazy("rule version source", "Administrator's draft"),
    "rollback": pgettext_lazy("rule version source", "Rollback"),
}


def rule_admin_page(view):
    """Signed in, and a rule administrator or administrator; everyone else gets the 403 page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_rule_administrator(request.user):
            return render(request, "rules/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def version_or_404(number: int) -> RuleVersion:
    version = selectors.version_get(number)
    if version is None:
        raise Http404
    return version


def refuse(request, exc: DomainError) -> None:
    """A refusal as a page message, in the page's language."""
    messages.error(request, exc.message)


def note_of(request) -> str:
    return request.POST.get("note", "").strip()[:2000]


def job_dict(job) -> dict | None:
    if job is None:
        return None
    return {"id": job.pk, "total": job.total, "done": job.done, "changed": job.changed, "percent": job.percent,
            "finished": job.finished}
