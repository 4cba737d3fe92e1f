"""IIC-12 as one procedure: the 组建方案 (附件1) and the applicant's 附件2 self-assessment are parts of the application,
required before submission (naming what is missing, in Chinese), shown to both stages of reviewers; IIC-10/11 are
requirements of it, not applications of their own."""
import json

import pytest
from django.test import Client

from carriers.loading import carriers_load
from carriers.services import iic_self_assessment_save
from policy_portal.exceptions import DomainError, NotAllowed
from subsidies.models.applications import Stage
from subsidies.services import application_create, application_submit, application_transition
from tests.factories import OrganisationFactory, applicant, officer
from tests.integration.test_carriers import AS_OF, IIC_FACTS, full_marks, iic_parts_complete, iic_plan_complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def carriers_data(db):
    carriers_load()


def owner():
    return applicant(organisation=OrganisationFactory(name="重庆具身智能研究有限公司", district="渝北区"))


def draft(user):
    return application_create(actor=user, clause_code="IIC-12", facts=IIC_FACTS, as_of=AS_OF)


def page_as(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_iic12_application_without_its_plan_and_self_assessment_is_not_submitted_and_says_what_is_missing():
    user = owner()
    app = draft(user)

    with pytest.raises(DomainError) as refused:
        application_submit(actor=user, application_id=app.pk)

    assert refused.value.code == "application_incomplete" and refused.value.field == "parts.iic_plan"
    assert "组建方案（附件1）" in refused.value.message and "附件2" in refused.value.message
    assert "摘要" in refused.value.message  # the sub-item as 附件1 prints it


def test_with_the_plan_but_no_self_assessment_the_refusal_names_only_the_self_assessment():
    user = owner()
    app = draft(user)
    iic_plan_complete(user, app)

    with pytest.raises(DomainError) as refused:
        application_submit(actor=user, application_id=app.pk)

    assert refused.value.field == "parts.iic_self_assessment" and "组建方案" not in refused.value.message


def test_the_application_page_links_both_parts_and_the_submit_button_waits_for_them():
    user = owner()
    app = draft(user)

    before = page_as(user).get(f"/applications/{app.pk}/").content.decode()
    iic_parts_complete(user, app)
    after = page_as(user).get(f"/applications/{app.pk}/").content.decode()

    assert f'href="/carriers/applications/{app.pk}/details/"' in before
    assert f'href="/carriers/applications/{app.pk}/self-assessment/"' in before
    assert 'data-blocked="submit"' in before and 'value="submit"' not in before
    assert 'data-complete="false"' not in after and 'value="submit"' in after


def test_the_applicant_fills_in_the_self_assessment_on_its_page():
    user = owner()
    app = draft(user)
    scores, _bonus = full_marks()

    form = page_as(user).get(f"/carriers/applications/{app.pk}/self-assessment/")
    saved = page_as(user).post(f"/carriers/applications/{app.pk}/self-assessment/",
                               {f"score_{k}": v for k, v in scores.items()})
    refused = page_as(user).post(f"/carriers/applications/{app.pk}/self-assessment/",
                                 {f"score_{k}": v for k, v in scores.items()} | {"score_equity_investment": "6"})

    assert form.status_code == 200 and "附件2" in form.content.decode()
    assert saved.status_code == 302 and app.iic_self_assessment.total == 100
    assert refused.status_code == 200 and "股权投资额" in refused.content.decode()


def test_only_the_applicant_scores_its_self_assessment_and_only_while_editable(django_capture_on_commit_callbacks):
    user = owner()
    app = draft(user)
    scores, _bonus = full_marks()

    with pytest.raises(NotAllowed):
        iic_self_assessment_save(actor=applicant(), application_id=app.pk, scores=scores)
    iic_parts_complete(user, app)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=user, application_id=app.pk)
    with pytest.raises(DomainError):
        iic_self_assessment_save(actor=user, application_id=app.pk, scores=scores)


def test_both_stages_of_reviewers_see_the_plan_and_the_self_assessment(django_capture_on_commit_callbacks):
    user = owner()
    app = iic_parts_complete(user, draft(user))
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=user, application_id=app.pk)
    district, city, other = officer("渝北区发展改革委"), officer("市发展改革委"), officer("江北区发展改革委")

    at_district = page_as(district).get(f"/carriers/applications/{app.pk}/iic-parts/").content.decode()
    detail = page_as(district).get(f"/applications/{app.pk}/").content.decode()
    app = application_transition(actor=district, application_id=app.pk, action="recommend", reason="择优推荐")
    at_city = page_as(city).get(f"/carriers/applications/{app.pk}/iic-parts/").content.decode()
    stranger = page_as(other).get(f"/carriers/applications/{app.pk}/iic-parts/")

    assert app.stage == Stage.CITY
    for body in (at_district, at_city):
        assert "summary：内容" in body and '<dd id="self-total">110 / 110' in body
    assert f'href="/carriers/applications/{app.pk}/iic-parts/"' in detail
    assert stranger.status_code == 404


def test_iic10_and_iic11_are_requirements_of_iic12_not_applications_of_their_own(client):
    user = owner()
    client.force_login(user)
    query = {"clause": "IIC-10", "facts": json.dumps(IIC_FACTS, ensure_ascii=False), "as_of": AS_OF.isoformat()}

    response = client.get("/applications/new/", query)

    assert response.status_code == 302 and "clause=IIC-12" in response["Location"]


def test_the_api_takes_the_self_assessment_from_the_applicant_only():
    from rest_framework.test import APIClient

    user = owner()
    app = draft(user)
    scores, _bonus = full_marks()
    mine, stranger = APIClient(), APIClient()
    mine.force_authenticate(user)
    stranger.force_authenticate(applicant())

    saved = mine.put(f"/api/v1/carriers/applications/{app.pk}/self-assessment/", {"scores": scores}, format="json")
    refused = stranger.put(f"/api/v1/carriers/applications/{app.pk}/self-assessment/", {"scores": scores}, format="json")

    assert saved.status_code == 200 and saved.json()["totals"]["total"] == 100
    assert refused.status_code == 403 and refused.json()["code"] == "not_owner"
