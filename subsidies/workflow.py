"""The application workflow, declared once: each action, who takes it from which states, what it changes, what follows.

One decision, three callers (Wagtail's `actions/`): `Action.check(actor, app)` raises the DomainError that
refuses the action (its code says why) or returns. The pages and the API offer the actions whose check
passes (selectors_applications.allowed_actions); the service (services.actions.application_transition)
calls the same check under the row lock, then applies the entry's `changes`, saves, writes the
ApplicationEvent and runs the entry's `effects`, in one transaction. A new state (公示, payment, appeal)
is one more entry in ACTIONS, with its own changes and effects beside it.

The checks of the other things done to an application (editing it, consulting a bureau, answering) are here too.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.functional import lazy

from accounts.models import Organisation
from accounts.selectors import bureau_of, organisation_of
from catalogue import display
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from policy_portal.messages import Bilingual
from programmes.selectors import submission_window
from rules.models import ClauseRule

from . import limits, notices
from .hooks import application_approved, application_parts
from .models import Appeal, Application, Evaluation, ReferenceCounter
from .models.applications import Stage, Status
from .money import clear_decision, commit_budget, release_budget, within_yearly_cap
from .outbox import queue_evaluations
from .routing import route_for
from .terms import check_amount, current_rule, kind_label, other_bureaus, rewards_an_item


OWNER = "owner"  # a member of the applicant organisation
OFFICER = "officer"  # an officer of the acting bureau
REVIEWER = "reviewer"  # an officer of the acting bureau other than the one who decided (an appeal's reviewer)
LEAD = "lead"  # an officer of the clause's lead bureau (a 免申即享 award: no bureau handles the application yet)

OPEN = frozenset({Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW})
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
OPEN_OR_EDITABLE = OPEN | EDITABLE
ALL_STAGES = frozenset(Stage.values)


def acting_bureau_id(app: Application) -> int | None:
    """The bureau whose officers act now: the district 主管单位 at the first stage (IIC-12), else the routed bureau."""
    return app.district_bureau_id if app.stage == Stage.DISTRICT else app.bureau_id


# ---------------------------------------------------------------- who


def owner_check(actor, app: Application) -> None:
    organisation = organisation_of(actor)
    if organisation is None or organisation.pk != app.organisation_id:
        raise NotAllowed("not_owner")


def officer_check(actor, app: Application) -> None:
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk != acting_bureau_id(app):
        raise NotAllowed("not_your_bureau")


def reviewer_check(actor, app: Application) -> None:
    """复核: an officer of the same bureau, never the one who took the decision appealed."""
    officer_check(actor, app)
    if app.decided_by_id is not None and app.decided_by_id == actor.pk:
        raise NotAllowed("own_decision")


def lead_officer_check(actor, app: Application) -> None:
    """免申即享: the clause's lead bureau awards without an application, so its officers act on the draft."""
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk != current_rule(app.clause).lead_bureau_id:
        raise NotAllowed("not_lead_bureau", field="clause", clause=app.clause.code)


WHO = {OWNER: owner_check, OFFICER: officer_check, REVIEWER: reviewer_check, LEAD: lead_officer_check}


# ---------------------------------------------------------------- conditions: (app) -> None, raising what is unmet


def amount_stated(app: Application) -> None:
    """A ceiling or an equity investment: the applicant states the amount requested before submitting."""
    rule = current_rule(app.clause)
    if rule.amount_kind in (ClauseRule.AmountKind.CAP, ClauseRule.AmountKind.EQUITY) and not app.amount_requested_yuan:
        raise DomainError("amount_required", field="amount_requested_yuan")


def award_amount_known(app: Application) -> None:
    """免申即享 awards a sum the clause states (a fixed sum, or none): a ceiling or an equity investment needs an
    application that says how much."""
    if current_rule(app.clause).amount_kind in (ClauseRule.AmountKind.CAP, ClauseRule.AmountKind.EQUITY):
        raise Conflict("award_amount_unknown", field="clause", clause=app.clause.code)


def organisation_verified(app: Application) -> None:
    """An organisation that registered itself checks and drafts at once; it submits once its district (or an
    administrator) has verified its business licence (营业执照)."""
    if app.organisation.status != Organisation.Status.VERIFIED:
        raise NotAllowed("organisation_not_verified", field="organisation",
                         status=Organisation.Status(app.organisation.status).label)


def minute(at) -> str:
    """A moment as applicants read it: Beijing time to the minute."""
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


def call_open(app: Application, at=None) -> None:
    """申报批次: submitted only while a call for the clause is open, or the clause is rolling (常年受理; see
    programmes.selectors.Window). PostgreSQL repeats this at commit time (migration 0010), so a submit in flight
    at the closing minute is decided by when it commits."""
    window = submission_window(app.clause.code, at)
    if window.open:
        return
    if window.closed is None and window.upcoming is not None:
        raise Conflict("call_not_open_yet", field="clause", clause=app.clause.code,
                       opens_at=minute(window.upcoming.opens_at))
    closed_at = minute(window.closed.closes_at) if window.closed else "—"
    if window.upcoming is not None:
        raise Conflict("call_closed_next", field="clause", clause=app.clause.code, closes_at=closed_at,
                       opens_at=minute(window.upcoming.opens_at))
    raise Conflict("call_closed", field="clause", clause=app.clause.code, closes_at=closed_at)


def call_for(app: Application):
    """The call whose materials the application gathers: the one it was submitted under, else the one open for its
    clause now, else the next one (an applicant prepares before a call opens), else the one it gathered files for or
    the last closed; None for a clause without calls."""
    if app.call_id is not None:
        return app.call
    window = submission_window(app.clause.code)
    if window.call or window.upcoming:
        return window.call or window.upcoming
    gathered = next((a.material.call for a in app.attachments.select_related("material__call") if a.material_id), None)
    return gathered or window.closed  # closed meanwhile: the files gathered for it stay in view


def materials_complete(app: Application) -> None:
    """Every required material of the call is uploaded; the refusal names each one missing."""
    call = call_for(app)
    if call is None:
        return
    have = {a.material_id for a in app.attachments.all()}
    missing = [Bilingual(m.name_zh, m.name_en or m.name_zh) for m in call.materials.order_by("position", "pk")
               if m.required and m.pk not in have]
    if missing:
        raise DomainError("materials_missing", field="materials", materials=missing)


def achievement_stated(app: Application) -> None:
    """就新、不重复 (FIM, last paragraph) needs to know the item: a clause that pays for an identified item (a
    standard, a drug, a recognition, a project …) is applied for with that item's identifier."""
    if not app.achievement_normalised and rewards_an_item(app.clause):
        raise DomainError("achievement_required", field="achievement_key", kind=kind_label(app.clause.achievement_kind),
                          clause=app.clause.code)


def approved_same_item(app: Application) -> Application | None:
    """The organisation's approved application for the same (normalised) item, if any: 就新、不重复."""
    if not app.achievement_normalised:
        return None
    return (Application.objects.filter(
        organisation_id=app.organisation_id, achievement_kind=app.achievement_kind,
        achievement_normalised=app.achievement_normalised, status=Status.APPROVED,
    ).exclude(pk=app.pk).select_related("clause").first())


def achievement_not_yet_supported(app: Application) -> None:
    """就新、不重复 (FIM, last paragraph): one item is supported once for an organisation, across clauses and policies.
    The database refuses it too (the constraint one_approval_per_item_per_organisation), for approvals racing."""
    earlier = approved_same_item(app)
    if earlier is not None:
        raise Conflict("achievement_already_supported", field="achievement_key", achievement=app.achievement_key,
                       reference=earlier.reference, clause=earlier.clause.code)


def parts_complete(app: Application) -> None:
    """Every part of the application that lives with another app is complete (IIC-12 第十二条: the 组建方案 following
    附件1 and the 附件2 evaluation form go with the application), so no reviewer receives an incomplete file."""
    missing = [part for part in application_parts(None, app) if not part.complete]
    if missing:
        raise DomainError("application_incomplete", field=f"parts.{missing[0].key}", clause=app.clause.code,
                          missing=[part.missing or part.title for part in missing])


def not_at_district_stage(app: Application) -> None:
    """IIC-12 第十二条: the district 主管单位 recommends to 市发展改革委; it does not pass the application elsewhere."""
    if app.stage == Stage.DISTRICT:
        raise DomainError("not_reassignable", field="to_bureau")


def another_bureau(app: Application) -> None:
    """The clause names a responsible bureau other than the one handling the application."""
    if not other_bureaus(app.clause, app.bureau_id):
        raise Conflict("no_other_bureau", clause=app.clause.code)


def within_appeal_limit(app: Application) -> None:
    """复核 is asked for within the limit (working days after the rejection: the call's, the clause's or the default)."""
    until = limits.appeal_deadline(app)
    if until is not None and timezone.localdate() > until:
        raise Conflict("appeal_too_late", field="reason", days=limits.appeal_days(app), until=until)


def not_yet_appealed(app: Application) -> None:
    """One appeal per rejection: an upheld rejection is final."""
    if app.decided_at is not None and app.appeals.filter(created_at__gte=app.decided_at).exists():
        raise Conflict("already_appealed", field="status")


# ---------------------------------------------------------------- changes and effects: (step) -> None


@dataclass
class Step:
    """One action being taken: the locked application, the actor, the input, and the data its event records."""

    action: Action
    actor: object
    app: Application
    reason: str = ""
    amount_approved_yuan: int | None = None
    to_bureau: str | None = None
    data: dict = field(default_factory=dict)
    event: object = None  # the ApplicationEvent written, for the effects
    override_reason: str = ""  # approve: a bureau head's reason to go beyond the budget


def route(step: Step) -> None:
    """To the bureau the routing table names (two-stage clauses: first to the applicant's district 主管单位)."""
    app = step.app
    to = route_for(app.clause, lead_bureau=current_rule(app.clause).lead_bureau, district=app.organisation.district)
    app.bureau, app.stage, app.district_bureau = to.bureau, to.stage, to.district_bureau
    app.submitted_at = timezone.now()
    step.data.update(bureau=to.bureau.short_name_zh, stage=to.stage,
                     district_bureau=to.district_bureau.short_name_zh if to.district_bureau else None)


def under_call(step: Step) -> None:
    """The call the application is submitted under (none for a clause that never had one)."""
    call = submission_window(step.app.clause.code).call
    step.app.call = call
    step.data["call"] = call.title_zh if call else None


def numbered(step: Step) -> None:
    """The application's human-readable reference, given at its first submission: clause, year, number
    (FIM-4.2-2026-000123). One counter row per clause and year, incremented under its row lock in this
    transaction: unique, never given twice (a refused commit rolls the number back with everything else)."""
    app = step.app
    key = f"{app.clause.code}-{timezone.localtime().year}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ReferenceCounter._meta.db_table} (key, last) VALUES (%s, 1) "
            f"ON CONFLICT (key) DO UPDATE SET last = {ReferenceCounter._meta.db_table}.last + 1 RETURNING last", [key])
        number = cursor.fetchone()[0]
    app.reference = f"{key}-{number:06d}"
    step.data["reference"] = app.reference


def awarded_by_lead(step: Step) -> None:
    """免申即享: the awarding officer's bureau (the clause's lead bureau) decides it at once, in one stage; the
    application counts as received now and carries the award's reference."""
    app = step.app
    app.bureau, app.stage, app.district_bureau = bureau_of(step.actor), Stage.SINGLE, None
    app.submitted_at = timezone.now()
    step.data.update(bureau=app.bureau.short_name_zh, stage=app.stage, no_application=True)


def approve_amount(step: Step) -> None:
    """The approved amount (by default the amount requested), within what the clause allows."""
    app = step.app
    amount = step.amount_approved_yuan if step.amount_approved_yuan is not None else app.amount_requested_yuan
    app.amount_approved_yuan = check_amount(current_rule(app.clause), amount, "amount_approved_yuan")
    step.data["amount_approved_yuan"] = app.amount_approved_yuan


def decided(step: Step) -> None:
    step.app.decided_at, step.app.decided_by = timezone.now(), step.actor


def start_clock(step: Step) -> None:
    """The application enters a stage (or an appeal its review): its due date, in working days (subsidies.limits)."""
    limits.start_clock(step.app, limits.APPEAL if step.action.target == Status.APPEALED else step.app.stage)
    step.data["due_on"] = step.app.due_on.isoformat()


def stop_clock(step: Step) -> None:
    """Nobody at a bureau has to act now (returned to the applicant, decided, withdrawn)."""
    limits.stop_clock(step.app)


def reopened(step: Step) -> None:
    """An overturned rejection: the decision is undone, the review goes on."""
    step.app.decided_at = None


def to_municipal_stage(step: Step) -> None:
    """IIC-12 第十二条: recommended by the district 主管单位, the application goes to 市发展改革委 to decide."""
    step.app.stage = Stage.CITY
    step.data["to_bureau"] = step.app.bureau.short_name_zh


def move_to_bureau(step: Step) -> None:
    """To another of the clause's responsible bureaus, named by `to_bureau`."""
    app = step.app
    allowed = other_bureaus(app.clause, app.bureau_id)
    if step.to_bureau and step.to_bureau == app.bureau.short_name_zh:
        raise DomainError("same_bureau", field="to_bureau")
    if step.to_bureau not in allowed:
        raise DomainError("invalid_bureau", field="to_bureau", bureaus=list(allowed))
    step.data.update(from_bureau=app.bureau.short_name_zh, to_bureau=step.to_bureau)
    app.bureau = allowed[step.to_bureau]


def evaluate(trigger: str) -> Callable[[Step], None]:
    """Evaluate the stated facts with the current rule version once the transaction commits."""
    def enqueue(step: Step) -> None:
        # The pending row is the durable record (subsidies.outbox): written here, sent after commit, swept if lost.
        evaluation = Evaluation.objects.create(application=step.app, as_of=step.app.as_of, trigger=trigger)
        transaction.on_commit(lambda: queue_evaluations([evaluation.pk]))

    return enqueue


def tell(step: Step) -> None:
    """The applicant, the acting bureau's officers or the appeal's reviewer hear of it (subsidies.notices), in this
    transaction, once per (recipient, event)."""
    notices.application_event_notice(step.app, step.event, step.action.name, assigned_to=step.data.get("_assigned"),
                                     appeal_until=limits.appeal_deadline(step.app) if step.action.name == "reject"
                                     else None)


def open_appeal(step: Step) -> None:
    """The appeal's record, sent to another officer of the bureau: the one with the fewest pending appeals."""
    app = step.app
    others = (notices.bureau_officers(acting_bureau_id(app)).exclude(pk=app.decided_by_id)
              .order_by("username"))
    load = {row["assigned_to"]: row["n"] for row in Appeal.objects.filter(
        outcome=Appeal.Outcome.PENDING, assigned_to__in=others).values("assigned_to").annotate(n=models.Count("pk"))}
    assignee = min(others, key=lambda u: load.get(u.pk, 0), default=None)
    appeal = Appeal.objects.create(application=app, reason=step.reason, created_by=step.actor,
                                   rejected_by_id=app.decided_by_id, assigned_to=assignee)
    step.event.data.update(appeal=appeal.pk, assigned_to=assignee.username if assignee else None)
    step.event.save(update_fields=["data"])
    step.data["_assigned"] = assignee


def close_appeal(outcome: str) -> Callable[[Step], None]:
    def close(step: Step) -> None:
        Appeal.objects.filter(application=step.app, outcome=Appeal.Outcome.PENDING).update(
            outcome=outcome, decision=step.reason, decided_by=step.actor, decided_at=timezone.now())
    return close


def announce_approval(step: Step) -> None:
    """subsidies.hooks.application_approved. Receivers act in this same transaction (carriers enters a recognised
    carrier in its register): if one refuses (a DomainError naming the field), the approval is refused too."""
    application_approved.send(sender=Application, application=step.app, actor=step.actor)


# ---------------------------------------------------------------- the declaration


def already_submitted(app: Application) -> bool:
    return app.submitted_at is not None and app.status != Status.WITHDRAWN


@dataclass(frozen=True)
class Action:
    name: str
    by: str  # OWNER, OFFICER or REVIEWER
    sources: frozenset  # the statuses it is taken from
    target: str | None  # the status it leads to; None: the status does not change
    label_zh: str
    label_en: str
    stages: frozenset = ALL_STAGES
    reason_required: bool = False
    primary: bool = False  # the page draws it as a main button
    conditions: tuple[Callable[[Application], None], ...] = ()  # what else must hold; each raises what is unmet
    changes: tuple[Callable[[Step], None], ...] = ()  # on the locked application, before it is saved
    effects: tuple[Callable[[Step], None], ...] = ()  # after the save and the event, in the same transaction
    repeated: Callable[[Application], bool] | None = None  # taken already: taking it again changes nothing
    wrong_state: str = "invalid_transition"  # the refusal's code when the status or stage does not fit

    def check_actor(self, actor, app: Application) -> None:
        WHO[self.by](actor, app)

    def check_state(self, app: Application) -> None:
        if app.status not in self.sources or app.stage not in self.stages:
            raise _wrong_state(self, app)

    def check_conditions(self, app: Application) -> None:
        for condition in self.conditions:
            condition(app)

    def check(self, actor, app: Application) -> None:
        """Return if `actor` may take this action on `app` now; else raise the DomainError that says why not."""
        self.check_actor(actor, app)
        self.check_state(app)
        self.check_conditions(app)

    def allows(self, actor, app: Application) -> bool:
        return passes(self.check, actor, app)


_label = lazy(lambda action: display.pick(action, "label"), str)  # in the language active when the message is shown


def _wrong_state(action: Action, app: Application) -> Conflict:
    """Who changed it last, and when: usually what an officer who finds it decided meanwhile needs to know."""
    last = max(app.events.all(), key=lambda e: (e.created_at, e.pk), default=None)
    by = last.actor.username if last and last.actor else "—"
    at = f"{timezone.localtime(last.created_at):%Y-%m-%d %H:%M}" if last else "—"
    return Conflict(action.wrong_state, field="status", action=_label(action), status=Status(app.status).label,
                    by=by, at=at)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("submit", OWNER, frozenset({Status.DRAFT}), Status.SUBMITTED, "提交", "Submit", primary=True,
               conditions=(organisation_verified, amount_stated, achievement_stated, call_open, parts_complete,
                           materials_complete),
               changes=(route, under_call, numbered, start_clock),
               effects=(evaluate("submission"), tell), repeated=already_submitted, wrong_state="not_submittable"),
        Action("resubmit", OWNER, frozenset({Status.RETURNED}), Status.RESUBMITTED, "重新提交", "Resubmit", primary=True,
               conditions=(amount_stated, achievement_stated, parts_complete), changes=(start_clock,),
               effects=(evaluate("resubmission"), tell)),
        Action("withdraw", OWNER, OPEN_OR_EDITABLE, Status.WITHDRAWN, "撤回", "Withdraw", changes=(stop_clock,)),
        Action("start_review", OFFICER, frozenset({Status.SUBMITTED, Status.RESUBMITTED}), Status.UNDER_REVIEW,
               "开始审核", "Start review"),
        Action("approve", OFFICER, OPEN, Status.APPROVED, "批准", "Approve", primary=True,
               stages=frozenset({Stage.SINGLE, Stage.CITY}), conditions=(achievement_not_yet_supported,),
               changes=(approve_amount, decided, stop_clock),
               effects=(within_yearly_cap, commit_budget, announce_approval, tell)),
        Action("reject", OFFICER, OPEN, Status.REJECTED, "不予支持", "Reject", reason_required=True,
               changes=(decided, stop_clock), effects=(tell,)),
        Action("return", OFFICER, OPEN, Status.RETURNED, "退回修改", "Return for changes", reason_required=True,
               changes=(stop_clock,), effects=(tell,)),
        Action("recommend", OFFICER, OPEN, Status.SUBMITTED, "审核推荐", "Recommend to the municipal level", primary=True,
               stages=frozenset({Stage.DISTRICT}), reason_required=True, changes=(to_municipal_stage, start_clock),
               effects=(tell,)),
        Action("reassign", OFFICER, OPEN, None, "转办", "Reassign", reason_required=True,
               conditions=(not_at_district_stage, another_bureau), changes=(move_to_bureau,),
               effects=(tell,)),
        # 复核: the applicant asks, within the limit, with reasons (and files: services.appeals); another officer of
        # the same bureau upholds the rejection or overturns it, which sends the application back to review.
        Action("appeal", OWNER, frozenset({Status.REJECTED}), Status.APPEALED, "申请复核", "Appeal (ask for review)",
               primary=True, reason_required=True, conditions=(within_appeal_limit, not_yet_appealed),
               changes=(start_clock,), effects=(open_appeal, tell), wrong_state="not_appealable"),
        Action("uphold", REVIEWER, frozenset({Status.APPEALED}), Status.REJECTED, "维持原决定", "Uphold the rejection",
               reason_required=True, changes=(stop_clock,), effects=(close_appeal(Appeal.Outcome.UPHELD), tell)),
        Action("overturn", REVIEWER, frozenset({Status.APPEALED}), Status.UNDER_REVIEW, "撤销原决定",
               "Overturn the rejection", primary=True, reason_required=True, changes=(reopened, start_clock),
               effects=(close_appeal(Appeal.Outcome.OVERTURNED), tell)),
    )
}
# Actions no page or API offers: another service takes them (application_transition(..., internal=True)).
INTERNAL_ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        # 公示: an objection upheld takes the approval back to review (payments.services), releasing the budget.
        Action("reopen", OFFICER, frozenset({Status.APPROVED}), Status.UNDER_REVIEW, "重新审核", "Back to review",
               reason_required=True, changes=(clear_decision, start_clock), effects=(release_budget,)),
        # 免申即享 (matching.services.applying): an officer of the lead bureau confirms a proposed award; the draft
        # the service created from the organisation's profile is approved at once, with everything an approval does
        # (the one-achievement rule, the yearly cap, the budget commit, the approval hooks, the applicant told).
        Action("award", LEAD, frozenset({Status.DRAFT}), Status.APPROVED, "免申即享认定", "Award (no application)",
               conditions=(award_amount_known, organisation_verified, achievement_not_yet_supported),
               changes=(awarded_by_lead, numbered, approve_amount, decided, stop_clock),
               effects=(within_yearly_cap, commit_budget, announce_approval, tell)),
    )
}
DECISIONS = ("approve", "reject", "return")  # also taken together through the API's decide endpoint


# ---------------------------------------------------------------- the other things done to an application


def edit_check(actor, app: Application) -> None:
    """Editing an application or attaching files: its organisation, while it is a draft or returned."""
    owner_check(actor, app)
    if app.status not in EDITABLE:
        raise Conflict("not_editable", field="status")


def consult_check(actor, app: Application) -> None:
    """Consulting a co-responsible bureau: the acting officer of an open application whose clause names another."""
    officer_check(actor, app)
    if app.status not in OPEN:
        raise Conflict("not_open", field="status", status=Status(app.status).label)
    another_bureau(app)


def answer_check(actor, consultation) -> None:
    """Answering a consultation: an officer of the consulted bureau, once."""
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk != consultation.bureau_id:
        raise NotAllowed("not_consulted_bureau")
    if consultation.answered_at is not None:
        raise Conflict("already_answered", field="answer")


def passes(check: Callable[..., None], *args) -> bool:
    try:
        check(*args)
    except DomainError:
        return False
    return True
