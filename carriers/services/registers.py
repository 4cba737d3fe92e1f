"""The registers' dynamic management: an entry's status (active, warned, exited) and the events that move it.

The words: RIE 三（三） "探索建立…动态运行管理机制，按年度分类别开展研究院绩效评估"; PIC 二（二） "建立培育认定、绩效
评价、动态管理、容错和退出机制"; INC 三（二） "探索建立产业创新孵化载体评价体系和动态运行管理机制"; IIC 第十四条
"根据评价结果对市产业创新中心进行动态调整" and 第十五条 "经核实，市发展改革委将对该产业创新中心进行调整".

What moves an entry (docs/policy-reading.md, "Registers: status and its events"):
* an officer of a bureau that assesses the register warns, restores or exits it, with a reason (`register_status_change`);
* a year's assessment rated 不合格 warns an active institute, complex or incubation carrier (`after_assessment`): the
  assessment is the basis of the 动态管理 the texts name, and a warning, not an exit, is the 容错 PIC asks for;
* IIC: the adjustment of a 第十四条 evaluation or a 第十五条 finding (retain, 限期整改, 撤销（调出）) sets it.
Every move writes a CarrierEvent (action "status") in the same transaction. An exited entry leaves the register's
facts and counts; coming back is a new recognition.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.selectors import bureau_of
from policy_portal.exceptions import Conflict, DomainError, NotAllowed, NotFound
from policy_portal.messages import Bilingual

from ..models import Adjustment, Rating, RegisterStatus
from ..selectors import ASSESSMENT_CLAUSES, REGISTERS, assessing_bureau_ids, status_authority
from ..display import OTHER_LABELS
from .events import carrier_event

MAX_REASON = 2000


@dataclass(frozen=True)
class StatusAction:
    name: str
    sources: frozenset
    target: str
    label_zh: str
    label_en: str


STATUS_ACTIONS: dict[str, StatusAction] = {
    a.name: a
    for a in (
        StatusAction("warn", frozenset({RegisterStatus.ACTIVE}), RegisterStatus.WARNED, "预警（限期整改）", "Warn"),
        StatusAction("restore", frozenset({RegisterStatus.WARNED}), RegisterStatus.ACTIVE, "整改完成，恢复在册",
                     "Restore"),
        StatusAction("exit", frozenset({RegisterStatus.ACTIVE, RegisterStatus.WARNED}), RegisterStatus.EXITED,
                     "退出（撤销、调出）", "Exit"),
    )
}
ADJUSTMENT_STATUS = {Adjustment.RETAIN: RegisterStatus.ACTIVE, Adjustment.RECTIFY: RegisterStatus.WARNED,
                     Adjustment.REMOVE: RegisterStatus.EXITED}


def move(carrier, kind: str, to: str, *, cause: str, actor=None, reason: str = "", on: dt.date | None = None,
         data: dict | None = None) -> bool:
    """Set the (locked) entry's status and record the event; False when it already stands there."""
    if carrier.status == to:
        return False
    before = carrier.status
    carrier.status, carrier.status_changed_on = to, on or timezone.localdate()
    carrier.save(update_fields=["status", "status_changed_on"])
    carrier_event(kind=kind, object_id=carrier.pk, action="status", actor=actor,
                  data={"from": before, "to": to, "cause": cause, "reason": reason, **(data or {})})
    return True


def after_assessment(carrier, kind: str, rating: str, *, year: int, actor) -> None:
    """RIE-2, PIC-4, INC-2: a year rated 不合格 warns an active entry (a documented reading, I-16)."""
    if rating == Rating.FAIL and carrier.status == RegisterStatus.ACTIVE:
        move(carrier, kind, RegisterStatus.WARNED, cause="assessment", actor=actor,
             data={"clause": ASSESSMENT_CLAUSES[kind], "year": year})


def after_adjustment(centre, adjustment: str, *, cause: str, actor, data: dict) -> None:
    """IIC-14 / IIC-15: the adjustment decided sets the centre's status."""
    move(centre, "centre", ADJUSTMENT_STATUS[adjustment], cause=cause, actor=actor, data=data)


def status_check(actor, slug: str, carrier, action: str) -> StatusAction:
    """Whether `actor` may take `action` on the entry now; the StatusAction, or the DomainError that says why not."""
    declared = STATUS_ACTIONS.get(action)
    if declared is None:
        raise DomainError("invalid_choice", field="action")
    register = REGISTERS[slug]
    what = status_authority(register)
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk not in assessing_bureau_ids(what, carrier):
        raise NotAllowed("not_responsible_bureau", clause=ASSESSMENT_CLAUSES[what])
    if carrier.status not in declared.sources:
        raise Conflict("status_transition_not_allowed", field="action",
                       action=Bilingual(declared.label_zh, declared.label_en),
                       status=OTHER_LABELS["status"].get(carrier.status, carrier.status))
    return declared


@transaction.atomic
def register_status_change(*, actor, slug: str, carrier_id, action: str, reason: str) -> object:
    """An officer warns, restores or exits a register entry, giving the reason (the 动态管理 of its document)."""
    register = REGISTERS.get(slug)
    if register is None:
        raise NotFound("not_found")
    try:
        carrier = register.model.objects.select_for_update().get(pk=carrier_id, recognised_on__isnull=False)
    except (register.model.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found") from None
    declared = status_check(actor, slug, carrier, action)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError("too_long", field="reason", limit=MAX_REASON)
    move(carrier, register.kind, declared.target, cause=action, actor=actor, reason=reason)
    return carrier


def status_actions_allowed(user, register, carrier) -> list[StatusAction]:
    """The status actions `user` may take on the entry now: the page draws them as buttons; the service checks again."""
    allowed = []
    for action in STATUS_ACTIONS:
        try:
            allowed.append(status_check(user, register.slug, carrier, action))
        except DomainError:
            continue
    return allowed
