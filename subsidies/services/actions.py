"""Taking one of the workflow's declared actions (subsidies.workflow.ACTIONS): check, write, record, follow up.

One transaction under the application's row lock: the action's check (the same one the pages and the API
ask to draw their buttons), its changes, the save, the ApplicationEvent, then its effects.
"""
from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from policy_portal.exceptions import Conflict, DomainError

from ..models import Application
from ..models.applications import Status
from ..terms import stated_item
from ..workflow import ACTIONS, INTERNAL_ACTIONS, Step, call_open
from .applications import _event, _get_for_update, _validate_facts


CALL_OPEN_AT_COMMIT = "application_submitted_while_call_open"  # subsidies migration 0010


def application_transition(*, actor, application_id, action: str, **kwargs) -> Application:
    """Take one declared action (submit, decide, return, recommend, reassign, withdraw, resubmit …) if its check allows.

    When this is the outermost transaction, PostgreSQL checks at COMMIT that a submitted application's call is
    still open then (migration 0010); a commit it refuses rolls back whole and is answered like the early check.
    """
    try:
        with transaction.atomic():
            return _transition(actor=actor, application_id=application_id, action=action, **kwargs)
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) != CALL_OPEN_AT_COMMIT:
            raise
        app = Application.objects.select_related("clause", "organisation").get(pk=application_id)
        with connection.cursor() as cursor:  # the database's clock decided; say what it saw
            cursor.execute("SELECT clock_timestamp()")
            call_open(app, at=cursor.fetchone()[0])
        raise Conflict("call_closed", field="clause", clause=app.clause.code, closes_at="—") from None


def _transition(
    *, actor, application_id, action: str, reason: str = "", amount_approved_yuan: int | None = None,
    to_bureau: str | None = None, expected_lock_version: int | None = None, override_reason: str = "",
    internal: bool = False,
) -> Application:
    declared = ACTIONS.get(action) or (INTERNAL_ACTIONS.get(action) if internal else None)
    if declared is None:
        raise DomainError("unknown_action", field="action", action=str(action)[:40])
    app = _get_for_update(application_id)
    declared.check_actor(actor, app)
    if declared.repeated is not None and declared.repeated(app):
        return app  # submitting twice is one submission
    if expected_lock_version is not None and expected_lock_version != app.lock_version:
        raise Conflict("stale", field="lock_version")
    declared.check(actor, app)
    reason = (reason or "").strip()
    if declared.reason_required and not reason:
        raise DomainError("reason_required", field="reason")
    step = Step(declared, actor, app, reason, amount_approved_yuan, to_bureau,
                override_reason=(override_reason or "").strip())
    from_status = app.status
    for change in declared.changes:
        change(step)
    if declared.target is not None:
        app.status = declared.target
    app.lock_version += 1
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:  # the database's own guard of 就新、不重复, for two approvals racing
        raise Conflict("achievement_already_supported_concurrently", field="achievement_key",
                       achievement=app.achievement_key) from None
    step.event = _event(app, actor=actor, action=declared.name, from_status=from_status, reason=reason,
                        data={k: v for k, v in step.data.items() if not k.startswith("_")})
    for effect in declared.effects:
        effect(step)
    return app


def application_submit(*, actor, application_id) -> Application:
    """Submit a draft: route it, evaluate it after commit. Submitting twice is one submission."""
    return application_transition(actor=actor, application_id=application_id, action="submit")


def application_award(*, actor, organisation, clause, facts: dict, achievement_key: str = "", key: str) -> Application:
    """免申即享: an application for `organisation` under `clause` with the facts we hold, created by the awarding
    officer and taken through the declared `award` action to approved, in the caller's transaction. The same `key`
    (one per match) is the same application: confirming twice approves once."""
    with transaction.atomic():
        app = Application.objects.filter(organisation=organisation, clause=clause, idempotency_key=key).first()
        if app is None:
            kind, stated, normalised = stated_item(clause, achievement_key)  # the item, as any application states it
            app = Application.objects.create(
                organisation=organisation, created_by=actor, clause=clause, facts=_validate_facts(facts),
                as_of=timezone.localdate(), achievement_kind=kind, achievement_key=stated,
                achievement_normalised=normalised, idempotency_key=key)
            _event(app, actor=actor, action="create", from_status="", data={"award": key})
        if app.status == Status.APPROVED:
            return app
        return _transition(actor=actor, application_id=app.pk, action="award", internal=True)
