"""What an approval does with money: it commits the amount against the clause's (or measure's) budget for the
year, and it keeps an organisation within the yearly cap on its support from FIM (004).

Both run inside the approving transaction (effects of the workflow's `approve`), under row locks: the budget
row (programmes.budgets) and the organisation row (so two approvals of one organisation cannot both pass the
cap). A clause with no budget set for the year is not budget-controlled: the approval commits nothing.
"""
from __future__ import annotations

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Organisation
from policy_portal.exceptions import Conflict
from programmes.budgets import budget_commit, budget_for, budget_release
from programmes.models import Budget, BudgetEntry

from .models import Application
from .models.applications import Status

CAPPED_DOCUMENT = "FIM"


def decision_year(app: Application) -> int:
    return timezone.localtime(app.decided_at).year if app.decided_at else timezone.localdate().year


def yearly_cap_yuan() -> int:
    """PORTAL_FIM_CAP_PER_ORGANISATION_YUAN: an organisation's total FIM support in one year; 0 means no cap."""
    return int(getattr(settings, "PORTAL_FIM_CAP_PER_ORGANISATION_YUAN", 0) or 0)


def support_used_yuan(organisation_id: int, year: int, *, exclude_id: int | None = None) -> int:
    """What the organisation's approved FIM applications decided in `year` add up to."""
    apps = Application.objects.filter(
        organisation_id=organisation_id, status=Status.APPROVED, clause__measure__document__code=CAPPED_DOCUMENT,
        decided_at__year=year)
    if exclude_id is not None:
        apps = apps.exclude(pk=exclude_id)
    return apps.aggregate(total=Sum("amount_approved_yuan"))["total"] or 0


def support_left_yuan(organisation_id: int, year: int | None = None) -> int | None:
    """What is left under the yearly cap (None: no cap configured)."""
    cap = yearly_cap_yuan()
    if not cap:
        return None
    year = year or timezone.localdate().year
    return max(cap - support_used_yuan(organisation_id, year), 0)


def within_yearly_cap(step) -> None:
    """Refuse an FIM approval that would take the organisation beyond the yearly cap, naming what is left."""
    app, cap = step.app, yearly_cap_yuan()
    if not cap or app.clause.measure is None or app.clause.measure.document.code != CAPPED_DOCUMENT:
        return
    Organisation.objects.select_for_update().filter(pk=app.organisation_id).first()  # serialise per organisation
    year = decision_year(app)
    left = max(cap - support_used_yuan(app.organisation_id, year, exclude_id=app.pk), 0)
    amount = app.amount_approved_yuan or 0
    if amount > left:
        raise Conflict("over_yearly_cap", field="amount_approved_yuan", left_yuan=left, cap_yuan=cap,
                       amount_yuan=amount, year=year)
    step.data["support_left_yuan"] = left - amount


def commit_budget(step) -> None:
    """Commit the approved amount against the year's budget (refused with the remaining 万元 if it does not fit,
    unless a bureau head gives an override reason)."""
    app = step.app
    budget = budget_for(app.clause, decision_year(app))
    if budget is None or not app.amount_approved_yuan:
        return
    budget = budget_commit(budget=budget, amount_yuan=app.amount_approved_yuan, reference=app.reference,
                           actor=step.actor, override_reason=step.override_reason)
    step.data["budget_remaining_yuan"] = budget.remaining_yuan


def committed_budget(app: Application) -> tuple[Budget | None, int]:
    """The budget an application's approval committed against and what is still committed for it."""
    entries = BudgetEntry.objects.filter(reference=app.reference).select_related("budget")
    budget, held = None, 0
    for entry in entries:
        budget = entry.budget
        if entry.kind == BudgetEntry.Kind.COMMIT:
            held += entry.amount_yuan
        elif entry.kind in (BudgetEntry.Kind.PAY, BudgetEntry.Kind.RELEASE):
            held -= entry.amount_yuan
    return budget, held


def release_budget(step) -> None:
    """An approval taken back (an objection upheld in 公示): what it still holds of the budget is released."""
    budget, held = committed_budget(step.app)
    if budget is not None and held > 0:
        budget_release(budget=budget, amount_yuan=held, reference=step.app.reference, actor=step.actor,
                       reason=step.reason)


def clear_decision(step) -> None:
    step.data["amount_approved_yuan"] = step.app.amount_approved_yuan
    step.app.decided_at = None
