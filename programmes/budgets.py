"""Budgets per measure (or clause) and year: set by the lead bureau, committed by approvals, consumed by payments.

Every movement locks the budget row and writes a BudgetEntry in the same transaction; the database's
check constraint is the last word, so concurrent approvals can never overspend. An approval that does not
fit is refused with the remaining figure, unless a bureau head allows the excess with a reason.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import Role
from accounts.selectors import bureau_of, is_bureau_head, role_of
from catalogue.models import Clause, Measure
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from rules.models import ClauseRule
from rules.selectors import current_version

from .models import Budget, BudgetEntry

MAX_BUDGET_YUAN = 10**13


def _lead_bureau_ids(measure: Measure | None, clause: Clause | None) -> set[int]:
    rules = ClauseRule.objects.filter(version=current_version())
    rules = rules.filter(clause=clause) if clause else rules.filter(clause__measure=measure)
    return set(rules.values_list("lead_bureau_id", flat=True))


def _may_set(actor, measure, clause) -> bool:
    if role_of(actor) == Role.ADMIN:
        return True
    bureau = bureau_of(actor)
    return bureau is not None and _lead_bureau_ids(measure, clause) == {bureau.pk}


@transaction.atomic
def budget_set(*, actor, year: int, amount_yuan: int, measure_number: int | None = None, clause_code: str = "",
               reason: str = "") -> Budget:
    """Set (or change) the year's budget of a FIM measure or of one clause; every change is kept."""
    measure = clause = None
    if clause_code:
        clause = Clause.objects.filter(code=clause_code).first()
        if clause is None:
            raise DomainError("unknown_clause", f"Unknown clause {clause_code}.", "clause", clause=clause_code)
    elif measure_number is not None:
        measure = Measure.objects.filter(document__code="FIM", number=measure_number).first()
        if measure is None:
            raise DomainError("unknown_measure", f"No measure {measure_number}.", "measure", measure=measure_number)
    else:
        raise DomainError("required", "Name a measure or a clause.", "measure")
    if isinstance(year, bool) or not isinstance(year, int) or not 2020 <= year <= 2100:
        raise DomainError("invalid", "A year such as 2026.", "year")
    if isinstance(amount_yuan, bool) or not isinstance(amount_yuan, int) or not 0 <= amount_yuan <= MAX_BUDGET_YUAN:
        raise DomainError("invalid_amount", "A whole number of yuan.", "amount_yuan")
    if not _may_set(actor, measure, clause):
        raise NotAllowed("not_lead_bureau", "Budgets are set by the lead bureau or an administrator.")
    budget, _ = Budget.objects.select_for_update().get_or_create(measure=measure, clause=clause, year=year,
                                                                defaults={"amount_yuan": 0})
    if amount_yuan + budget.overrun_yuan < budget.committed_yuan + budget.paid_yuan:
        raise Conflict("budget_below_spent", "The budget cannot be less than what is committed and paid.",
                       "amount_yuan", spent_yuan=budget.committed_yuan + budget.paid_yuan)
    delta = amount_yuan - budget.amount_yuan
    budget.amount_yuan = amount_yuan
    budget.save(update_fields=["amount_yuan", "updated_at"])
    BudgetEntry.objects.create(budget=budget, kind=BudgetEntry.Kind.SET, amount_yuan=delta, reason=reason[:2000],
                               actor=actor)
    return budget


def budget_for(clause: Clause, year: int) -> Budget | None:
    """The budget an award under `clause` in `year` draws on: the clause's own, else its measure's."""
    own = Budget.objects.filter(clause=clause, year=year).first()
    if own is not None or clause.measure_id is None:
        return own
    return Budget.objects.filter(measure_id=clause.measure_id, year=year).first()


def budget_commit(*, budget: Budget, amount_yuan: int, reference: str, actor, override_reason: str = "") -> Budget:
    """Commit `amount_yuan` in the caller's transaction; refused with the remaining figure if it does not fit,
    unless a bureau head gives a reason to go beyond the budget."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    shortfall = amount_yuan - budget.remaining_yuan
    if shortfall > 0:
        if not override_reason.strip():
            raise Conflict("over_budget", "The remaining budget does not cover this amount.", "amount_approved_yuan",
                           remaining_yuan=max(budget.remaining_yuan, 0), amount_yuan=amount_yuan)
        if not is_bureau_head(actor):
            raise NotAllowed("override_needs_head", "Only the bureau's head may approve beyond the budget.",
                             "override_reason")
        budget.overrun_yuan += shortfall
        BudgetEntry.objects.create(budget=budget, kind=BudgetEntry.Kind.OVERRIDE, amount_yuan=shortfall,
                                   reference=reference, reason=override_reason.strip()[:2000], actor=actor)
    budget.committed_yuan += amount_yuan
    try:
        with transaction.atomic():
            budget.save(update_fields=["committed_yuan", "overrun_yuan", "updated_at"])
    except IntegrityError:  # the constraint: never reached under the row lock, kept as the last word
        raise Conflict("over_budget", "The remaining budget does not cover this amount.", "amount_approved_yuan",
                       remaining_yuan=0, amount_yuan=amount_yuan) from None
    BudgetEntry.objects.create(budget=budget, kind=BudgetEntry.Kind.COMMIT, amount_yuan=amount_yuan,
                               reference=reference, actor=actor)
    return budget


def _move(budget: Budget, *, kind: str, amount_yuan: int, reference: str, actor, reason: str = "") -> Budget:
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if amount_yuan > budget.committed_yuan:
        raise Conflict("more_than_committed", "More than what is committed.", "amount_yuan",
                       committed_yuan=budget.committed_yuan)
    budget.committed_yuan -= amount_yuan
    if kind == BudgetEntry.Kind.PAY:
        budget.paid_yuan += amount_yuan
    budget.save(update_fields=["committed_yuan", "paid_yuan", "updated_at"])
    BudgetEntry.objects.create(budget=budget, kind=kind, amount_yuan=amount_yuan, reference=reference, actor=actor,
                               reason=reason)
    return budget


def budget_pay(*, budget: Budget, amount_yuan: int, reference: str, actor) -> Budget:
    return _move(budget, kind=BudgetEntry.Kind.PAY, amount_yuan=amount_yuan, reference=reference, actor=actor)


def budget_release(*, budget: Budget, amount_yuan: int, reference: str, actor, reason: str = "") -> Budget:
    return _move(budget, kind=BudgetEntry.Kind.RELEASE, amount_yuan=amount_yuan, reference=reference, actor=actor,
                 reason=reason)
