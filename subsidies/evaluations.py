"""Reading an application's evaluation back: its trace and its full answer, rebuilt from the rule version.

An Evaluation stores the version, the day, the outcome, the applied clause's group outcomes and a
digest of the facts (subsidies.models.Evaluation); everything shown beside them is derived here.
"""
from __future__ import annotations

import hashlib
import json
import logging

from django.utils import timezone

from rules.check import check, clause_outcome
from rules.selectors import rulebook_for_version

log = logging.getLogger(__name__)


def facts_digest(facts: dict) -> str:
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:16]


def evaluation_trace(evaluation) -> list[dict]:
    """[{met, conditions: [{fact, operator, value, message_zh, message_en}]}] per group of the applied clause."""
    if evaluation.rule_version_id is None or not evaluation.groups_met:
        return []
    book = rulebook_for_version(evaluation.rule_version)
    try:
        clause = book.clause(evaluation.application.clause.code)
    except KeyError:
        return []
    return [
        {"met": met, "conditions": [{"fact": c.fact, "operator": str(c.operator), "value": c.value,
                                     "message_zh": c.message_zh, "message_en": c.message_en} for c in group]}
        for met, group in zip(evaluation.groups_met, clause.groups)
    ]


def evaluation_result(evaluation) -> dict | None:
    """rules.check.check's answer for the application's facts under the stored version and day.

    None when nothing was evaluated, or when the application's facts changed since (the stored digest
    no longer matches): the answer then would not be the one this evaluation gave.
    """
    if evaluation.rule_version_id is None or evaluation.state != "done":
        return None
    facts = evaluation.application.facts
    if evaluation.facts_digest and evaluation.facts_digest != facts_digest(facts):
        return None
    return check(rulebook_for_version(evaluation.rule_version), facts, evaluation.as_of)


def fill_evaluation(evaluation, *, facts: dict, as_of, clause_code: str, reference: str, book, version_id: int,
                    supported_by: str = ""):
    """Fill `evaluation` with the engine's answer for these facts under `book` (see evaluate_into).

    `supported_by`: the organisation's approved application for the same item, from our own records. Like support
    declared under a newer policy, it supersedes the clause (就新、不重复: "按照‘就新、不重复’原则执行").
    A failure is stored, never lost: an officer sees it on the application.
    """
    evaluation.rule_version_id, evaluation.finished_at = version_id, timezone.now()
    evaluation.facts_digest = facts_digest(facts)
    try:
        status, groups = clause_outcome(book, facts, as_of, clause_code)
    except Exception as exc:  # noqa: BLE001 - stored on the evaluation for an officer to see
        log.exception("evaluation of %s failed", reference)
        evaluation.state, evaluation.error = "failed", str(getattr(exc, "detail", "") or exc)[:2000]
        return evaluation
    evaluation.outcome = status if status != "unmet" else "not_eligible"
    if supported_by and evaluation.outcome in ("eligible", "needs_review"):
        evaluation.outcome, evaluation.superseded_by = "superseded", supported_by
    evaluation.groups_met = list(groups)
    evaluation.state = "done"
    return evaluation
