"""Consulting a co-responsible bureau on an application, and its answer; both go into the history."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.selectors import bureau_of
from policy_portal.exceptions import DomainError, NotFound

from ..models import Consultation
from ..notices import consultation_notice
from ..terms import other_bureaus
from ..workflow import answer_check, consult_check
from .applications import _event, _get_for_update


@transaction.atomic
def application_consult(*, actor, application_id, bureau: str, question: str) -> Consultation:
    """The handling officer asks one of the clause's other responsible bureaus."""
    app = _get_for_update(application_id)
    consult_check(actor, app)
    question = (question or "").strip()
    if not question:
        raise DomainError("required", field="question")
    allowed = other_bureaus(app.clause, app.bureau_id)
    target = allowed.get(bureau)
    if target is None:
        raise DomainError("invalid_bureau", field="bureau", bureaus=list(allowed))
    consultation = Consultation.objects.create(application=app, bureau=target, requested_by=actor, question=question[:2000])
    _event(app, actor=actor, action="consult", from_status=app.status, reason=question[:2000],
           data={"bureau": target.short_name_zh, "consultation": consultation.pk})
    consultation_notice(app, consultation)
    return consultation


@transaction.atomic
def consultation_answer(*, actor, application_id, consultation_id, answer: str) -> Consultation:
    """An officer of the consulted bureau answers, once."""
    app = _get_for_update(application_id)
    consultation = Consultation.objects.select_for_update().filter(pk=consultation_id, application=app).first()
    if consultation is None:
        raise NotFound("not_found")
    answer_check(actor, consultation)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("required", field="answer")
    consultation.answer, consultation.answered_by, consultation.answered_at = answer[:4000], actor, timezone.now()
    consultation.save(update_fields=["answer", "answered_by", "answered_at"])
    _event(app, actor=actor, action="answer", from_status=app.status, reason=answer[:2000],
           data={"bureau": bureau_of(actor).short_name_zh, "consultation": consultation.pk})
    return consultation
