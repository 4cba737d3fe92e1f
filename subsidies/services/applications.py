"""Application services: every write to an application goes through here, atomically, with its event."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, role_of
from catalogue.models import Bureau, Clause
from policy_portal.celery import queue
from policy_portal.exceptions import Conflict, DomainError, NotAllowed, NotFound
from rules.models import ClauseRule
from rules.operators import FactError, normalise_facts
from rules.selectors import current_version, rulebook_for_version

from ..evaluations import fill_evaluation
from ..hooks import application_approved
from ..models import Application, ApplicationEvent, Evaluation
from ..models.applications import Stage, Status
from ..workflow import OFFICER, OWNER, TRANSITIONS
from .routing import route_for

log = logging.getLogger(__name__)
MAX_DESCRIPTION = 5000
EVALUATE = "subsidies.tasks.evaluate_application"
NOTIFY = "subsidies.tasks.notify_application"


def _event(app: Application, *, actor, action: str, from_status: str, reason: str = "", data: dict | None = None):
    return ApplicationEvent.objects.create(
        application=app, actor=actor, action=action, from_status=from_status, to_status=app.status,
        reason=reason, data=data or {},
    )


def _current_rule(clause: Clause) -> ClauseRule:
    rule = (
        ClauseRule.objects.filter(version=current_version(), clause=clause)
        .select_related("lead_bureau")
        .prefetch_related("bureaus")
        .first()
    )
    if rule is None:
        raise DomainError("clause_not_in_force", f"{clause.code} has no rule in the current version.", "clause")
    return rule


def check_amount(rule: ClauseRule, amount, field: str) -> int | None:
    """The amount an application may carry under the clause's amount kind, or DomainError naming `field`."""
    kind = rule.amount_kind
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        raise DomainError("invalid_type", "Amounts are whole yuan.", field)
    if kind == ClauseRule.AmountKind.NONE:
        if amount not in (None, 0):
            raise DomainError("amount_not_applicable", "This clause gives non-monetary support: no amount.", field)
        return None
    if kind == ClauseRule.AmountKind.FIXED:
        if amount is None:
            return rule.amount_yuan
        if amount != rule.amount_yuan:
            raise DomainError("amount_must_equal_fixed_sum", f"This clause pays exactly {rule.amount_yuan} yuan.", field)
        return amount
    if amount is None:
        return None
    if amount <= 0:
        raise DomainError("amount_not_positive", "The amount must be positive.", field)
    if rule.amount_yuan is not None and amount > rule.amount_yuan:
        raise DomainError("amount_above_cap", f"At most {rule.amount_yuan} yuan under {rule.clause_id}.", field)
    return amount


def _get_for_update(application_id) -> Application:
    try:
        return Application.objects.select_for_update().select_related("clause", "organisation").get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found", "No such application.") from None


def _require_owner(actor, app: Application):
    org = organisation_of(actor)
    if org is None or org.pk != app.organisation_id:
        raise NotAllowed("not_owner", "Only the applicant organisation can do this.")


def acting_bureau(app: Application) -> Bureau | None:
    """The bureau whose officers act now: the district 主管单位 at the first stage, else the routed bureau."""
    if app.stage == Stage.DISTRICT:
        return app.district_bureau
    return app.bureau


def _require_officer(actor, app: Application):
    bureau = bureau_of(actor)
    if bureau is None or acting_bureau(app) is None or bureau.pk != acting_bureau(app).pk:
        raise NotAllowed("not_your_bureau", "Only an officer of the bureau handling this application can do this.")


def _validate_facts(facts) -> dict:
    book = rulebook_for_version(current_version())
    try:
        normalise_facts(book.vocabulary, facts)
    except FactError as exc:
        raise DomainError(exc.code, exc.message, exc.field) from None
    return facts


@transaction.atomic
def application_create(
    *, actor, clause_code: str, facts: dict, amount_requested_yuan: int | None = None, description: str = "",
    as_of: dt.date | None = None, achievement_key: str = "", idempotency_key: str = "",
) -> Application:
    """A draft under one clause, its facts copied from a check. Same idempotency key: the same draft."""
    if role_of(actor) != Role.APPLICANT:
        raise NotAllowed("not_applicant", "Only applicant organisations can apply.")
    organisation = organisation_of(actor)
    if idempotency_key:
        existing = Application.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if existing:
            return existing
    clause = Clause.objects.filter(code=clause_code).first()
    if clause is None:
        raise DomainError("unknown_clause", f"Unknown clause {clause_code!r}.", "clause")
    if not clause.evaluated:
        raise DomainError("not_applicable", f"{clause.code} is not something one applies for.", "clause")
    rule = _current_rule(clause)
    if len(description) > MAX_DESCRIPTION:
        raise DomainError("too_long", f"At most {MAX_DESCRIPTION} characters.", "description")
    app = Application(
        organisation=organisation, created_by=actor, clause=clause, facts=_validate_facts(facts),
        as_of=as_of or timezone.localdate(),
        amount_requested_yuan=check_amount(rule, amount_requested_yuan, "amount_requested_yuan"),
        description=description, achievement_key=achievement_key.strip()[:160], idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        # a concurrent double click with the same key won the race
        return Application.objects.get(created_by=actor, idempotency_key=idempotency_key)
    _event(app, actor=actor, action="create", from_status="")
    return app


@transaction.atomic
def application_update(*, actor, application_id, **changes) -> Application:
    app = _get_for_update(application_id)
    _require_owner(actor, app)
    if app.status not in (Status.DRAFT, Status.RETURNED):
        raise Conflict("not_editable", "Only drafts and returned applications can be changed.", "status")
    rule = _current_rule(app.clause)
    if "facts" in changes:
        app.facts = _validate_facts(changes["facts"])
    if "amount_requested_yuan" in changes:
        app.amount_requested_yuan = check_amount(rule, changes["amount_requested_yuan"], "amount_requested_yuan")
    if "description" in changes:
        if len(changes["description"]) > MAX_DESCRIPTION:
            raise DomainError("too_long", f"At most {MAX_DESCRIPTION} characters.", "description")
        app.description = changes["description"]
    if "achievement_key" in changes:
        app.achievement_key = changes["achievement_key"].strip()[:160]
    app.lock_version += 1
    app.save()
    _event(app, actor=actor, action="update", from_status=app.status, data={"fields": sorted(changes)})
    return app


def _enqueue_evaluation(app: Application) -> Evaluation:
    evaluation = Evaluation.objects.create(application=app, as_of=app.as_of,
                                           trigger="submission" if app.status == Status.SUBMITTED else "resubmission")

    transaction.on_commit(lambda: queue(EVALUATE, evaluation.pk))
    return evaluation


def _notify(app: Application, kind: str):
    transaction.on_commit(lambda: queue(NOTIFY, app.pk, kind))


@transaction.atomic
def application_submit(*, actor, application_id) -> Application:
    """Submit a draft: route it, evaluate it after commit. Submitting twice is one submission."""
    app = _get_for_update(application_id)
    _require_owner(actor, app)
    if app.status != Status.DRAFT:
        if app.submitted_at is not None and app.status != Status.WITHDRAWN:
            return app  # idempotent: already submitted
        raise Conflict("not_submittable", f"A {app.get_status_display()} application cannot be submitted.", "status")
    rule = _current_rule(app.clause)
    if rule.amount_kind in (ClauseRule.AmountKind.CAP, ClauseRule.AmountKind.EQUITY) and not app.amount_requested_yuan:
        raise DomainError("amount_required", "State the amount requested (at most the cap).", "amount_requested_yuan")
    route = route_for(app.clause, lead_bureau=rule.lead_bureau, district=app.organisation.district)
    from_status = app.status
    app.status = Status.SUBMITTED
    app.bureau, app.stage, app.district_bureau = route.bureau, route.stage, route.district_bureau
    app.submitted_at = timezone.now()
    app.lock_version += 1
    app.save()
    _event(app, actor=actor, action="submit", from_status=from_status,
           data={"bureau": route.bureau.short_name_zh, "stage": route.stage,
                 "district_bureau": route.district_bureau.short_name_zh if route.district_bureau else None})
    _enqueue_evaluation(app)
    _notify(app, "routed")
    return app


@transaction.atomic
def application_transition(
    *, actor, application_id, action: str, reason: str = "", amount_approved_yuan: int | None = None,
    to_bureau: str | None = None, expected_lock_version: int | None = None,
) -> Application:
    """Take one declared transition (decide, return, recommend, reassign, withdraw, resubmit …)."""
    transition = TRANSITIONS.get(action)
    if transition is None or action == "submit":
        raise DomainError("unknown_action", f"Unknown action {action!r}.", "action")
    app = _get_for_update(application_id)
    if transition.actor == OWNER:
        _require_owner(actor, app)
    elif transition.actor == OFFICER:
        _require_officer(actor, app)
    if expected_lock_version is not None and expected_lock_version != app.lock_version:
        raise Conflict("stale", "Someone else changed this application meanwhile; reload it and decide again.", "lock_version")
    if app.status not in transition.sources or app.stage not in transition.stages:
        last = app.events.order_by("-created_at", "-pk").select_related("actor").first()
        who = f" by {last.actor} at {timezone.localtime(last.created_at):%Y-%m-%d %H:%M}" if last and last.actor else ""
        raise Conflict("invalid_transition", f"Cannot {action} an application that is {app.get_status_display()}{who}.", "status")
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise DomainError("reason_required", "Give a reason.", "reason")
    from_status = app.status
    data: dict = {}
    if action == "approve":
        rule = _current_rule(app.clause)
        amount = amount_approved_yuan if amount_approved_yuan is not None else app.amount_requested_yuan
        app.amount_approved_yuan = check_amount(rule, amount, "amount_approved_yuan")
        if app.achievement_key and Application.objects.filter(
            achievement_key=app.achievement_key, status=Status.APPROVED
        ).exclude(pk=app.pk).exists():
            raise Conflict(
                "achievement_already_supported",
                "This achievement has already been supported (就新、不重复: one achievement is supported once).",
                "achievement_key",
            )
        data["amount_approved_yuan"] = app.amount_approved_yuan
    if action == "recommend":
        app.stage = Stage.CITY
        data["to_bureau"] = app.bureau.short_name_zh
    if action == "reassign":
        target = _reassign_target(app, to_bureau)
        data = {"from_bureau": app.bureau.short_name_zh, "to_bureau": target.short_name_zh}
        app.bureau = target
    if transition.target is not None:
        app.status = transition.target
    if app.status in (Status.APPROVED, Status.REJECTED):
        app.decided_at = timezone.now()
    app.lock_version += 1
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        raise Conflict("achievement_already_supported",
                       "This achievement has already been supported (就新、不重复).", "achievement_key") from None
    _event(app, actor=actor, action=action, from_status=from_status, reason=reason, data=data)
    if action == "approve":
        # Receivers act in this same transaction (carriers enters a recognised carrier in its register):
        # if one refuses (DomainError naming the field), the approval is refused too.
        application_approved.send(sender=Application, application=app, actor=actor)
    if action == "resubmit":
        _enqueue_evaluation(app)
    if action in ("approve", "reject", "return", "recommend", "reassign", "resubmit"):
        _notify(app, action)
    return app


def _reassign_target(app: Application, to_bureau: str | None) -> Bureau:
    if app.stage == Stage.DISTRICT:
        raise DomainError("not_reassignable", "Applications under district review are not reassigned.", "to_bureau")
    rule = _current_rule(app.clause)
    allowed = {b.short_name_zh: b for b in rule.bureaus.all()}
    if not to_bureau or to_bureau not in allowed:
        raise DomainError("invalid_bureau", f"Reassign to one of the clause's bureaus: {', '.join(allowed)}.", "to_bureau")
    if allowed[to_bureau].pk == app.bureau_id:
        raise DomainError("same_bureau", "The application is already with that bureau.", "to_bureau")
    return allowed[to_bureau]


def evaluate_into(evaluation: Evaluation, app: Application, book, version) -> Evaluation:
    """Fill `evaluation` (unsaved or pending) with the engine's answer for `app`'s stored facts under `book`.

    It keeps what a replay needs (version, day, outcome, the clause's group outcomes, a digest of the
    facts); the trace and the full answer are rebuilt on read (subsidies.evaluations).
    """
    evaluation.rule_version = version
    return fill_evaluation(evaluation, facts=app.facts, as_of=app.as_of, clause_code=app.clause.code,
                           reference=app.reference, book=book, version_id=version.pk)


def evaluation_run(*, evaluation_id) -> Evaluation:
    """Evaluate an application's stored facts with the current rule version; store the outcome and the version."""
    evaluation = Evaluation.objects.select_related("application", "application__clause").get(pk=evaluation_id)
    if evaluation.state == Evaluation.State.DONE:
        return evaluation
    version = current_version()
    evaluate_into(evaluation, evaluation.application, rulebook_for_version(version), version)
    evaluation.save()
    return evaluation
