"""What an application's clause allows under the rule version in force: the rule itself, the amount, the other bureaus.

Reads and checks only, below the services and the workflow, so both can ask (the workflow's checks need
them to decide which buttons a page draws; the services need them to refuse).
"""
from __future__ import annotations

from catalogue import achievements
from catalogue.models import Bureau, Clause
from policy_portal.exceptions import DomainError
from policy_portal.messages import Bilingual, Message
from rules.models import ClauseRule
from rules.selectors import current_version


MAX_IDENTIFIER = 160
MAX_NORMALISED = 200


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


# ---------------------------------------------------------------- the item an application is for (就新、不重复)


def rewards_an_item(clause: Clause) -> bool:
    """A clause 就新、不重复 applies to: it pays (or invests) for an identified item (rules.adjustments, alike)."""
    return bool(clause.achievement_kind) and current_rule(clause).amount_kind != ClauseRule.AmountKind.NONE


def kind_label(kind: str) -> Bilingual | str:
    """How an item of this kind is identified, in the active language when shown ("国际标准编号（含年代号）")."""
    spec = achievements.KINDS.get(kind)
    return Bilingual(spec.label_zh, spec.label_en) if spec else kind


def stated_item(clause: Clause, raw: str) -> tuple[str, str, str]:
    """(kind, identifier as stated, normalised identifier) of what an application under `clause` is for.

    The kind is the clause's; a clause that names no kind keeps the identifier as stated, unnormalised (nothing
    it rewards is guarded). Raises DomainError naming `achievement_key` when the identifier is not text."""
    if not isinstance(raw, str):
        raise DomainError("invalid_type", field="achievement_key", expected=Message("expected_text"))
    stated = raw.strip()[:MAX_IDENTIFIER]
    kind = clause.achievement_kind
    if not kind or not stated:
        return kind, stated, ""
    return kind, stated, achievements.normalise(kind, stated)[:MAX_NORMALISED]


def identifier_reads_as_kind(kind: str, stated: str) -> bool:
    """Whether the identifier reads as its kind's scheme (a standard's number with its year, 国药准字…)."""
    return not (kind and stated) or achievements.parses(kind, stated)
