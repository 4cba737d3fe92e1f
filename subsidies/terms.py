"""What an application's clause allows under the rule version in force: the rule itself, the amount, the other bureaus.

Reads and checks only, below the services and the workflow, so both can ask (the workflow's checks need
them to decide which buttons a page draws; the services need them to refuse).
"""
from __future__ import annotations

from catalogue.models import Bureau, Clause
from policy_portal.exceptions import DomainError
from policy_portal.messages import Message
from rules.models import ClauseRule
from rules.selectors import current_version


def current_rule(clause: Clause) -> ClauseRule:
    """The clause's rule in the current version (with its lead and responsible bureaus), or DomainError."""
    rule = (
        ClauseRule.objects.filter(version=current_version(), clause=clause)
        .select_related("clause", "lead_bureau")
        .prefetch_related("bureaus")
        .first()
    )
    if rule is None:
        raise DomainError("clause_not_in_force", field="clause", clause=clause.code)
    return rule


def check_amount(rule: ClauseRule, amount, field: str) -> int | None:
    """The amount an application may carry under the clause's amount kind, or DomainError naming `field`."""
    kind = rule.amount_kind
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        raise DomainError("invalid_type", field=field, expected=Message("expected_whole_number"))
    if kind == ClauseRule.AmountKind.NONE:
        if amount not in (None, 0):
            raise DomainError("amount_not_applicable", field=field)
        return None
    if kind == ClauseRule.AmountKind.FIXED:
        if amount is None:
            return rule.amount_yuan
        if amount != rule.amount_yuan:
            raise DomainError("amount_must_equal_fixed_sum", field=field, clause=rule.clause.code,
                              amount_yuan=rule.amount_yuan)
        return amount
    if amount is None:
        return None
    if amount <= 0:
        raise DomainError("amount_not_positive", field=field)
    if rule.amount_yuan is not None and amount > rule.amount_yuan:
        raise DomainError("amount_above_cap", field=field, cap_yuan=rule.amount_yuan, clause=rule.clause.code)
    return amount


def other_bureaus(clause: Clause, bureau_id: int | None) -> dict[str, Bureau]:
    """The clause's responsible bureaus other than `bureau_id`, by short name: whom an application may be
    reassigned to, or whose opinion its handling officer may ask."""
    return {b.short_name_zh: b for b in current_rule(clause).bureaus.all() if b.pk != bureau_id}
