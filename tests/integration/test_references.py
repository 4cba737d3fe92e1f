"""Human-readable references (FIM-4.2-2026-000123): given at the first submission, unique, never given twice."""
import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from subsidies.models import Application
from subsidies.services import application_create, application_submit, application_transition
from tests.factories import STANDARD_FACTS, applicant, officer, standard_item

pytestmark = pytest.mark.django_db


def draft(user, clause="FIM-4.2"):
    return application_create(actor=user, clause_code=clause, facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                              as_of=dt.date(2026, 6, 1))


def test_the_reference_is_given_at_the_first_submission_and_numbers_follow_per_clause_and_year(
        django_capture_on_commit_callbacks):
    user = applicant()
    officer("市经济信息委")
    first, second = draft(user), draft(user)
    draft_reference = first.reference

    with django_capture_on_commit_callbacks(execute=True):
        first = application_submit(actor=user, application_id=first.pk)
    second = application_submit(actor=user, application_id=second.pk)

    year = timezone.localtime().year
    assert re.fullmatch(rf"FIM-4\.2-{year}-\d{{6}}", first.reference) and first.reference != draft_reference
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1
    assert first.events.get(action="submit").data["reference"] == first.reference
    assert any(first.reference in m.subject for m in mail.outbox)  # the bureau's notification names it


def test_a_returned_and_resubmitted_application_keeps_its_reference():
    user = applicant()
    app = application_submit(actor=user, application_id=draft(user).pk)
    reference = app.reference

    application_transition(actor=officer("市经济信息委"), application_id=app.pk, action="return", reason="补充材料")
    application_transition(actor=user, application_id=app.pk, action="resubmit")

    assert Application.objects.get(pk=app.pk).reference == reference


def test_the_reference_is_on_the_api_and_the_page(client):
    user = applicant()
    app = application_submit(actor=user, application_id=draft(user).pk)
    api = APIClient()
    api.force_authenticate(user)
    client.force_login(user)

    answer = api.get(f"/api/v1/applications/{app.pk}/").json()
    page = client.get(f"/applications/{app.pk}/").content.decode()

    assert answer["reference"] == app.reference and app.reference in page


@pytest.mark.django_db(transaction=True)
def test_applications_submitted_at_once_get_distinct_consecutive_numbers():
    import threading

    from django.db import connection

    from catalogue.loading import policies_load

    policies_load()
    users = [applicant() for _ in range(4)]
    drafts = [draft(user) for user in users]
    barrier = threading.Barrier(len(drafts))
    references = []

    def submit(user, app):
        try:
            barrier.wait()
            references.append(application_submit(actor=user, application_id=app.pk).reference)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(users, drafts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    numbers = sorted(int(r[-6:]) for r in references)
    assert len(set(references)) == 4 and numbers == list(range(numbers[0], numbers[0] + 4))
