"""Taking one of the workflow's declared actions (subsidies.workflow.ACTIONS): check, write, record, follow up.

One transaction under the application's row lock: the action's check (the same one the pages and the API
ask to draw their buttons), its changes, the save, the ApplicationEvent, then its effects.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from policy_portal.exceptions import Conflict, DomainError

from ..models import Application
from ..workflow import ACTIONS, INTERNAL_ACTIONS, Step
from .applications import _event, _get_for_update


@transaction.atomic
def application_transition(
    *, actor, application_id, action: str, reason: str = "", amount_approved_yuan: int | None = None,
    to_bureau: str | None = None, expected_lock_version: int | None = None, override_reason: str = "",
    internal: bool = False,
) -> Application:
    """Take one declared action (submit, decide, return, recommend, reassign, withdraw, resubmit …) if its check allows."""
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
