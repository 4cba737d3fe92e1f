"""Consulting a co-responsible bureau on an application, and its answer; both go into the history."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.selectors import bureau_of
from policy_portal.exceptions import Conflict, DomainError, NotAllowed, NotFound

from ..models import Consultation
from ..workflow import OPEN
from .applications import _current_rule, _event, _get_for_update, _require_officer


@transaction.atomic
def application_consult(*, actor, application_id, bureau: str, question: str) -> Consultation:
    """The handling officer asks one of the clause's other responsible bureaus."""
    app = _get_for_update(application_id)
    _require_officer(actor, app)
    if app.status not in OPEN:
        raise Conflict("not_open", "Only open applications are consulted on.", "status")
    question = (question or "").strip()
    if not question:
        raise DomainError("required", "Write the question for the bureau.", "question")
    allowed = {b.short_name_zh: b for b in _current_rule(app.clause).bureaus.all()}
    target = allowed.get(bureau)
    if target is None or target.pk == app.bureau_id:
        others = [n for n, b in allowed.items() if b.pk != app.bureau_id]
        raise DomainError("invalid_bureau", f"Consult one of the clause's other bureaus: {', '.join(others) or '—'}.", "bureau")
    consultation = Consultation.objects.create(application=app, bureau=target, requested_by=actor, question=question[:2000])
    _event(app, actor=actor, action="consult", from_status=app.status, reason=question[:2000],
           data={"bureau": target.short_name_zh, "consultation": consultation.pk})
    return consultation


@transaction.atomic
def consultation_answer(*, actor, application_id, consultation_id, answer: str) -> Consultation:
    """An officer of the consulted bureau answers, once."""
    app = _get_for_update(application_id)
    consultation = Consultation.objects.select_for_update().filter(pk=consultation_id, application=app).first()
    if consultation is None:
        raise NotFound("not_found", "No such consultation.")
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk != consultation.bureau_id:
        raise NotAllowed("not_consulted_bureau", "Only an officer of the consulted bureau can answer.")
    if consultation.answered_at is not None:
        raise Conflict("already_answered", "This consultation has been answered.", "answer")
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("required", "Write the answer.", "answer")
    consultation.answer, consultation.answered_by, consultation.answered_at = answer[:4000], actor, timezone.now()
    consultation.save(update_fields=["answer", "answered_by", "answered_at"])
    _event(app, actor=actor, action="answer", from_status=app.status, reason=answer[:2000],
           data={"bureau": bureau.short_name_zh, "consultation": consultation.pk})
    return consultation
