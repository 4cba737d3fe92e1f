"""The application state machine, declared once: every transition with who may take it and when.

Services consult `TRANSITIONS`; pages and the API list `allowed_actions` from it; each
transition taken writes one ApplicationEvent in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass

from .models.applications import Stage, Status

OWNER = "owner"  # a member of the applicant organisation
OFFICER = "officer"  # an officer of the bureau the application currently sits with

OPEN = frozenset({Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: the status does not change
    actor: str
    reason_required: bool = False
    stages: frozenset = frozenset({Stage.SINGLE, Stage.DISTRICT, Stage.CITY})
    label_zh: str = ""
    label_en: str = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({Status.DRAFT}), Status.SUBMITTED, OWNER, label_zh="提交", label_en="Submit"),
        Transition("resubmit", frozenset({Status.RETURNED}), Status.RESUBMITTED, OWNER, label_zh="重新提交", label_en="Resubmit"),
        Transition(
            "withdraw",
            frozenset({Status.DRAFT, Status.RETURNED}) | OPEN,
            Status.WITHDRAWN,
            OWNER,
            label_zh="撤回",
            label_en="Withdraw",
        ),
        Transition(
            "start_review", frozenset({Status.SUBMITTED, Status.RESUBMITTED}), Status.UNDER_REVIEW, OFFICER,
            label_zh="开始审核", label_en="Start review",
        ),
        Transition(
            "approve", OPEN, Status.APPROVED, OFFICER, stages=frozenset({Stage.SINGLE, Stage.CITY}),
            label_zh="批准", label_en="Approve",
        ),
        Transition("reject", OPEN, Status.REJECTED, OFFICER, reason_required=True, label_zh="不予支持", label_en="Reject"),
        Transition("return", OPEN, Status.RETURNED, OFFICER, reason_required=True, label_zh="退回修改", label_en="Return for changes"),
        Transition(
            "recommend", OPEN, Status.SUBMITTED, OFFICER, reason_required=True, stages=frozenset({Stage.DISTRICT}),
            label_zh="审核推荐", label_en="Recommend to the municipal level",
        ),
        Transition("reassign", OPEN, None, OFFICER, reason_required=True, label_zh="转办", label_en="Reassign"),
    )
}
DECISIONS = {"approve": "approve", "reject": "reject", "return": "return"}
