"""The pending Evaluation row is the outbox: a submission whose hand-over to the broker was lost is evaluated by the
sweeper, a recently queued one is left alone, and a repeated delivery evaluates nothing twice."""
import datetime as dt

import pytest
from django.utils import timezone

from subsidies.models import Evaluation
from subsidies.outbox import evaluations_sweep
from subsidies.services import application_create, application_submit, evaluation_run
from tests.factories import STANDARD_FACTS, applicant, standard_item

pytestmark = pytest.mark.django_db


def submitted_without_handover():
    """Submit, but drop the on-commit callbacks: what happens when the web process dies right after the commit."""
    user = applicant()
    app = application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                             description="牵头制定国际标准", as_of=dt.date(2026, 6, 1))
    application_submit(actor=user, application_id=app.pk)  # TestCase transaction: on_commit never runs
    return Evaluation.objects.get(application=app)


def test_a_submission_whose_handover_was_lost_is_evaluated_by_the_sweeper():
    evaluation = submitted_without_handover()
    assert (evaluation.state, evaluation.queued_at) == (Evaluation.State.PENDING, None)

    assert evaluations_sweep() == 1  # eager in tests: the sweep's queue runs the task at once

    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.DONE and evaluation.queued_at is not None
    assert evaluations_sweep() == 0


def test_a_recently_queued_evaluation_is_not_queued_again_until_it_is_stale():
    evaluation = submitted_without_handover()
    now = timezone.now()
    Evaluation.objects.filter(pk=evaluation.pk).update(queued_at=now)

    assert evaluations_sweep(now=now + dt.timedelta(seconds=5), stale_after=dt.timedelta(seconds=60)) == 0
    assert evaluations_sweep(now=now + dt.timedelta(seconds=61), stale_after=dt.timedelta(seconds=60)) == 1


def test_a_repeated_delivery_evaluates_once():
    evaluation = submitted_without_handover()
    first = evaluation_run(evaluation_id=evaluation.pk)
    finished = first.finished_at

    again = evaluation_run(evaluation_id=evaluation.pk)

    assert again.state == Evaluation.State.DONE and again.finished_at == finished
    assert Evaluation.objects.filter(application=evaluation.application).count() == 1
