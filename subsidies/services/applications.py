"""Application services: drafts (create, update) and evaluations; the workflow's actions are in services.actions.

Every write to an application goes through the services, atomically, with its event.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import organisation_of, role_of
from catalogue.models import Clause
from policy_portal.exceptions import DomainError, NotAllowed, NotFound
from rules.operators import FactError, normalise_facts
from rules.selectors import current_version, rulebook_for_version

from ..evaluations import fill_evaluation
from ..models import Application, ApplicationEvent, Evaluation
from ..terms import check_amount, current_rule, stated_item
from ..workflow import approved_same_item, edit_check

log = logging.getLogger(__name__)
MAX_DESCRIPTION = 5000


def _event(app: Application, *, actor, action: str, from_status: str, reason: str = "", data: dict | None = None):
    return ApplicationEvent.objects.create(
        application=app, actor=actor, action=action, from_status=from_status, to_status=app.status,
        reason=reason, data=data or {},
    )


def _get_for_update(application_id) -> Application:
    try:
        return Application.objects.select_for_update().select_related("clause", "organisation").get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found") from None


def _validate_facts(facts) -> dict:
    book = rulebook_for_version(current_version())
    try:
        normalise_facts(book.vocabulary, facts)
    except FactError as exc:
        raise DomainError(exc.code, field=exc.field, **exc.params) from None
    return facts


@transaction.atomic
def application_create(
    *, actor, clause_code: str, facts: dict, amount_requested_yuan: int | None = None, description: str = "",
    as_of: dt.date | None = None, achievement_key: str = "", idempotency_key: str = "",
) -> Application:
    """A draft under one clause, its facts copied from a check. Same idempotency key: the same draft."""
    if role_of(actor) != Role.APPLICANT:
        raise NotAllowed("not_applicant")
    organisation = organisation_of(actor)
    if idempotency_key:
        existing = Application.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if existing:
            return existing
    clause = Clause.objects.filter(code=clause_code).first()
    if clause is None:
        raise DomainError("unknown_clause", field="clause", clause=str(clause_code)[:40])
    if not clause.evaluated:
        raise DomainError("not_applicable", field="clause", clause=clause.code)
    rule = current_rule(clause)
    if len(description) > MAX_DESCRIPTION:
        raise DomainError("too_long", field="description", limit=MAX_DESCRIPTION)
    kind, stated, normalised = stated_item(clause, achievement_key)
    app = Application(
        organisation=organisation, created_by=actor, clause=clause, facts=_validate_facts(facts),
        as_of=as_of or timezone.localdate(),
        amount_requested_yuan=check_amount(rule, amount_requested_yuan, "amount_requested_yuan"),
        description=description, achievement_kind=kind, achievement_key=stated, achievement_normalised=normalised,
        idempotency_key=idempotency_key,
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
    edit_check(actor, app)
    rule = current_rule(app.clause)
    if "facts" in changes:
        app.facts = _validate_facts(changes["facts"])
    if "amount_requested_yuan" in changes:
        app.amount_requested_yuan = check_amount(rule, changes["amount_requested_yuan"], "amount_requested_yuan")
    if "description" in changes:
        if len(changes["description"]) > MAX_DESCRIPTION:
            raise DomainError("too_long", field="description", limit=MAX_DESCRIPTION)
        app.description = changes["description"]
    if "achievement_key" in changes:
        app.achievement_kind, app.achievement_key, app.achievement_normalised = stated_item(
            app.clause, changes["achievement_key"])
    app.lock_version += 1
    app.save()
    _event(app, actor=actor, action="update", from_status=app.status, data={"fields": sorted(changes)})
    return app


def evaluate_into(evaluation: Evaluation, app: Application, book, version) -> Evaluation:
    """Fill `evaluation` (unsaved or pending) with the engine's answer for `app`'s stored facts under `book`.

    It keeps what a replay needs (version, day, outcome, the clause's group outcomes, a digest of the
    facts); the trace and the full answer are rebuilt on read (subsidies.evaluations).
    """
    evaluation.rule_version = version
    earlier = approved_same_item(app)
    return fill_evaluation(evaluation, facts=app.facts, as_of=app.as_of, clause_code=app.clause.code,
                           reference=app.reference, book=book, version_id=version.pk,
                           supported_by=earlier.reference if earlier else "")


def evaluation_run(*, evaluation_id) -> Evaluation:
    """Evaluate an application's stored facts with the current rule version; store the outcome and the version."""
    with transaction.atomic():
        evaluation = (Evaluation.objects.select_for_update(skip_locked=True, of=("self",))
                      .select_related("application", "application__clause").filter(pk=evaluation_id).first())
        if evaluation is None or evaluation.state != Evaluation.State.PENDING:
            # done already, or another worker holds it right now (a redelivered message): nothing to do
            return evaluation or Evaluation.objects.get(pk=evaluation_id)
        version = current_version()
        evaluate_into(evaluation, evaluation.application, rulebook_for_version(version), version)
        evaluation.save()
    return evaluation
