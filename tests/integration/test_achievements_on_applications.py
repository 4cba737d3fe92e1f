"""就新、不重复 on applications: the item a monetary clause pays for is stated, normalised, required to submit, and
approved once per organisation — by the workflow's condition and, for approvals racing, by the database.

FIM's last paragraph: "本政策措施与本市其他同类政策有重叠或冲突的，按照“就新、不重复”原则执行".
"""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from policy_portal.exceptions import Conflict, DomainError
from subsidies.models import Application
from subsidies.models.applications import Status
from subsidies.services import application_create, application_submit, application_transition, application_update
from tests.concurrency import approve_at_once
from tests.factories import STANDARD_FACTS, OrganisationFactory, applicant, officer

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 1)


def draft(user, key="", clause="FIM-4.2", amount=400_000):
    return application_create(actor=user, clause_code=clause, facts=STANDARD_FACTS, amount_requested_yuan=amount,
                              as_of=AS_OF, achievement_key=key)


def submitted(user, key, capture):
    app = draft(user, key)
    with capture(execute=True):
        return application_submit(actor=user, application_id=app.pk)


def test_an_application_keeps_the_clauses_kind_and_the_normalised_identifier():
    app = draft(applicant(), "  ＩＳＯ　１２３４５：２０２６ ")

    assert (app.achievement_kind, app.achievement_key, app.achievement_normalised) == (
        "standard_international", "ＩＳＯ　１２３４５：２０２６", "ISO 12345:2026")


def test_a_monetary_clause_cannot_be_submitted_without_its_item_and_the_refusal_names_the_field():
    user = applicant()
    app = draft(user)

    with pytest.raises(DomainError) as err:
        application_submit(actor=user, application_id=app.pk)

    assert (err.value.code, err.value.field) == ("achievement_required", "achievement_key")
    assert "国际标准编号" in err.value.message and "FIM-4.2" in err.value.message
    app.refresh_from_db()
    assert app.status == Status.DRAFT


def test_stating_the_item_on_the_draft_lets_it_be_submitted(django_capture_on_commit_callbacks):
    user = applicant()
    app = draft(user, "   ")
    application_update(actor=user, application_id=app.pk, achievement_key="ISO 12345:2026")

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=user, application_id=app.pk)

    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.achievement_normalised == "ISO 12345:2026"


def test_a_non_monetary_clause_needs_no_item(django_capture_on_commit_callbacks):
    from tests.integration.test_carriers import IIC_FACTS, iic_parts_complete

    user = applicant()
    app = application_create(actor=user, clause_code="IIC-12", facts=IIC_FACTS, as_of=AS_OF)
    iic_parts_complete(user, app)  # its 附件1 plan and 附件2 self-assessment: parts, not an item

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=user, application_id=app.pk)

    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_the_same_standard_spelt_apart_is_approved_once_for_an_organisation(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    user = applicant(organisation=organisation)
    first = submitted(user, "ISO 12345:2026", django_capture_on_commit_callbacks)
    second = submitted(applicant(organisation=organisation), "iso12345：2026", django_capture_on_commit_callbacks)
    jxw = officer("市经济信息委")
    application_transition(actor=jxw, application_id=first.pk, action="approve")

    with pytest.raises(Conflict) as err:
        application_transition(actor=jxw, application_id=second.pk, action="approve")

    assert (err.value.code, err.value.field) == ("achievement_already_supported", "achievement_key")
    assert first.reference in err.value.message
    assert Application.objects.get(pk=second.pk).status == Status.SUBMITTED


def test_another_organisation_may_be_approved_for_an_item_of_the_same_identifier(django_capture_on_commit_callbacks):
    # A recognition list and year, or a standard drafted by several, is shared; the guard is per organisation.
    first = submitted(applicant(), "ISO 12345:2026", django_capture_on_commit_callbacks)
    second = submitted(applicant(), "ISO 12345:2026", django_capture_on_commit_callbacks)
    jxw = officer("市经济信息委")

    application_transition(actor=jxw, application_id=first.pk, action="approve")
    application_transition(actor=jxw, application_id=second.pk, action="approve")

    assert Application.objects.filter(status=Status.APPROVED).count() == 2


def test_postgresql_refuses_a_second_approved_row_for_the_same_item_of_one_organisation(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    first = submitted(applicant(organisation=organisation), "GB/T 12345-2026", django_capture_on_commit_callbacks)
    second = submitted(applicant(organisation=organisation), "ISO 12345:2026", django_capture_on_commit_callbacks)
    Application.objects.filter(pk=second.pk).update(achievement_normalised=first.achievement_normalised,
                                                    achievement_kind=first.achievement_kind)
    Application.objects.filter(pk=first.pk).update(status=Status.APPROVED)

    with pytest.raises(IntegrityError) as err, transaction.atomic():
        Application.objects.filter(pk=second.pk).update(status=Status.APPROVED)

    assert "one_approval_per_item_per_organisation" in str(err.value)


@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_one_item_racing_one_wins_the_database_refuses_the_other(django_capture_on_commit_callbacks):
    from catalogue.loading import policies_load

    policies_load()
    organisation = OrganisationFactory()
    apps = [submitted(applicant(organisation=organisation), key, django_capture_on_commit_callbacks)
            for key in ("ISO 23456:2026", "ISO23456:2026")]
    officers = [officer("市经济信息委"), officer("市经济信息委")]
    outcomes = approve_at_once(list(zip(officers, apps)))

    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"achievement_already_supported", "achievement_already_supported_concurrently"}
    assert Application.objects.filter(status=Status.APPROVED).count() == 1


def test_the_api_shows_the_kind_and_normalised_identifier_and_refuses_submission_naming_the_field():
    from rest_framework.test import APIClient

    user = applicant()
    api = APIClient()
    api.force_authenticate(user)
    created = api.post("/api/v1/applications/", {"clause": "FIM-4.2", "facts": STANDARD_FACTS, "as_of": "2026-06-01",
                                                  "amount_requested_yuan": 1}, format="json",
                       HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    refused = api.post(f"/api/v1/applications/{created['id']}/submit/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.patch(f"/api/v1/applications/{created['id']}/", {"achievement_key": "ISO 7:2026"}, format="json")
    shown = api.get(f"/api/v1/applications/{created['id']}/").json()

    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["field"]) == ("achievement_required", "achievement_key")
    assert "成果标识" in refused.json()["message"]
    assert (shown["achievement_kind"], shown["achievement_normalised"], shown["achievement_reads_as_kind"]) == (
        "standard_international", "ISO 7:2026", True)


# ---------------------------------------------------------------- warned early (issue 10, item 4)


def signed_in(user):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_the_applicant_is_warned_at_draft_when_the_same_item_was_claimed_before():
    organisation = OrganisationFactory()
    earlier = draft(applicant(organisation=organisation), "ISO 34567:2026")
    user = applicant(organisation=organisation)

    page = signed_in(user).post("/applications/new/", {
        "clause": "FIM-4.2", "facts": __import__("json").dumps(STANDARD_FACTS), "as_of": "2026-06-01",
        "amount_requested_yuan": "1", "achievement_key": "ISO34567：2026", "idempotency_key": "k1"}, follow=True)

    html = page.content.decode()
    assert "message--warning" in html and earlier.reference in html and "就新、不重复" in html
    assert 'id="earlier-claims"' in html


def test_submitting_through_the_api_answers_with_the_warning_and_the_earlier_application(django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    organisation = OrganisationFactory()
    user = applicant(organisation=organisation)
    national = {**STANDARD_FACTS, "national_standard_role": "lead", "national_standard_field": "embodied_ai",
                "national_standard_published_on": "2026-03-01"}
    earlier = application_create(actor=user, clause_code="FIM-4.3", facts=national, amount_requested_yuan=1, as_of=AS_OF,
                                 achievement_key="GB/T 4567-2026")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=user, application_id=earlier.pk)
    application_transition(actor=officer("市经济信息委"), application_id=earlier.pk, action="approve")
    earlier.refresh_from_db()  # its reference was given at submission
    app = application_create(actor=user, clause_code="FIM-4.3", facts=national, amount_requested_yuan=1, as_of=AS_OF,
                             achievement_key="gb/t4567—2026")
    api = APIClient()
    api.force_authenticate(user)

    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/api/v1/applications/{app.pk}/submit/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert answer["status"] == "submitted"
    assert [w["code"] for w in answer["warnings"]] == ["achievement_supported_before"]
    assert answer["earlier_claims"][0]["reference"] == earlier.reference
    assert answer["earlier_claims"][0]["id"] == earlier.pk


def test_the_officer_reviewing_sees_the_earlier_application_even_of_another_bureau(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    user = applicant(organisation=organisation)
    earlier = submitted(user, "ISO 45678:2026", django_capture_on_commit_callbacks)
    later = submitted(applicant(organisation=organisation), "ISO 45678:2026", django_capture_on_commit_callbacks)
    drafted = draft(user, "ISO 45678:2026")  # a draft is the applicant's own business

    html = signed_in(officer("市经济信息委")).get(f"/applications/{later.pk}/").content.decode()
    other_bureau = signed_in(officer("市科技局")).get(f"/applications/{later.pk}/")

    assert f'data-reference="{earlier.reference}"' in html
    assert f'href="/applications/{earlier.pk}/"' in html
    assert drafted.reference not in html
    assert other_bureau.status_code == 404


def test_no_warning_for_another_organisations_claim_or_a_withdrawn_one(django_capture_on_commit_callbacks):
    from subsidies.selectors_applications import earlier_claims

    organisation = OrganisationFactory()
    user = applicant(organisation=organisation)
    withdrawn = draft(user, "ISO 56789:2026")
    application_transition(actor=user, application_id=withdrawn.pk, action="withdraw")
    draft(applicant(), "ISO 56789:2026")
    app = draft(user, "ISO 56789:2026")

    assert earlier_claims(user, app) == []


# ---------------------------------------------------------------- support already received changes the answer


def test_our_own_approval_of_the_same_item_supersedes_a_later_application(django_capture_on_commit_callbacks):
    from subsidies.models import Evaluation

    organisation = OrganisationFactory()
    user = applicant(organisation=organisation)
    earlier = submitted(user, "ISO 67890:2026", django_capture_on_commit_callbacks)
    application_transition(actor=officer("市经济信息委"), application_id=earlier.pk, action="approve")

    later = submitted(user, "ISO67890:2026", django_capture_on_commit_callbacks)

    evaluation = Evaluation.objects.filter(application=later).latest("pk")
    assert (evaluation.outcome, evaluation.superseded_by) == ("superseded", earlier.reference)
    html = signed_in(officer("市经济信息委")).get(f"/applications/{later.pk}/").content.decode()
    assert 'id="superseded-reason"' in html and earlier.reference in html


@pytest.mark.parametrize("declared, outcome", [("newer_municipal", "superseded"), ("older_municipal", "needs_review"),
                                                ("district", "needs_review"), ("none", "eligible")])
def test_support_declared_under_another_policy_is_in_the_applications_evaluation(declared, outcome,
                                                                                 django_capture_on_commit_callbacks):
    from subsidies.models import Evaluation

    user = applicant()
    facts = {**STANDARD_FACTS, "prior_support_same_item": declared, "prior_support_policy": "重庆市标准化资助办法",
             "prior_support_year": 2026, "prior_support_amount_yuan": 100_000}
    app = application_create(actor=user, clause_code="FIM-4.2", facts=facts, amount_requested_yuan=1, as_of=AS_OF,
                             achievement_key="ISO 78901:2026")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=user, application_id=app.pk)

    evaluation = Evaluation.objects.filter(application=app).latest("pk")
    html = signed_in(user).get(f"/applications/{app.pk}/").content.decode()

    assert evaluation.outcome == outcome
    if declared != "none":
        assert 'data-reason="prior_support_same_item"' in html and "重庆市标准化资助办法" in html


def test_a_rule_publication_reevaluates_an_open_application_as_superseded_once_the_same_item_was_approved(
        django_capture_on_commit_callbacks, monkeypatch):
    from jobs.models import Job
    from jobs.services import chunk_run
    from rules.services import ruleset_draft_create, ruleset_publish, ruleset_submit
    from subsidies.models import Evaluation
    from tests.factories import UserFactory

    organisation = OrganisationFactory()
    user = applicant(organisation=organisation)
    later = submitted(user, "ISO 89012:2026", django_capture_on_commit_callbacks)
    earlier = submitted(applicant(organisation=organisation), "ISO89012:2026", django_capture_on_commit_callbacks)
    application_transition(actor=officer("市经济信息委"), application_id=earlier.pk, action="approve")
    monkeypatch.setattr("jobs.services.queue", lambda name, chunk_id: None)
    author, reviewer = UserFactory(), UserFactory()
    draft_version = ruleset_draft_create(actor=author)
    ruleset_submit(actor=author, version=draft_version)

    version = ruleset_publish(actor=reviewer, version=draft_version)
    for chunk in Job.objects.get(key=f"reevaluation:v{version.number}").chunks.all():
        chunk_run(chunk_id=chunk.pk)

    evaluation = Evaluation.objects.filter(application=later, trigger="publish").get()
    assert (evaluation.outcome, evaluation.superseded_by, evaluation.previous_outcome) == (
        "superseded", earlier.reference, "eligible")
