"""Test helper: a copy of the current rule version, changed and published (or left as a draft) inside the test's transaction."""
from __future__ import annotations

import uuid

from django.utils import timezone

from rules.models import ClauseRule, ClauseRuleBureau, Condition, RuleVersion
from rules.selectors import clause_rules, current_version


def copy_current_version(*, amounts: dict[str, int] | None = None, status=RuleVersion.Status.PUBLISHED) -> RuleVersion:
    """A new version numbered after the newest, identical to the current one except for `amounts` (code → yuan).

    The checksum is unique so the per-process RuleBook cache and compiled engine rulesets
    never mistake it for a version another test created and rolled back.
    """
    base = current_version()
    amounts = amounts or {}
    published = status == RuleVersion.Status.PUBLISHED
    version = RuleVersion.objects.create(
        number=RuleVersion.objects.order_by("-number").values_list("number", flat=True).first() + 1,
        status=status,
        note="test copy",
        checksum=uuid.uuid4().hex * 2,
        based_on=base,
        published_at=timezone.now() if published else None,
    )
    for rule in clause_rules(base):
        copy = ClauseRule.objects.create(
            version=version,
            clause=rule.clause,
            amount_yuan=amounts.get(rule.clause.code, rule.amount_yuan),
            amount_kind=rule.amount_kind,
            effective_from=rule.effective_from,
            effective_to=rule.effective_to,
            lead_bureau=rule.lead_bureau,
        )
        ClauseRuleBureau.objects.bulk_create(
            ClauseRuleBureau(clause_rule=copy, bureau=link.bureau, position=link.position) for link in rule.ordered_bureaus
        )
        Condition.objects.bulk_create(
            Condition(
                clause_rule=copy,
                group=c.group,
                position=c.position,
                fact_id=c.fact_id,
                operator=c.operator,
                value=c.value,
                message_zh=c.message_zh,
                message_en=c.message_en,
            )
            for c in rule.ordered_conditions
        )
    return version
