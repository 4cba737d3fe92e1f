"""Approving commits money: against the year's budget (never overspent, even by 20 approvals at once) and within
an organisation's yearly cap on FIM support; an objection upheld in 公示 releases it again."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import Profile, Role
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from programmes.budgets import budget_set
from programmes.models import Budget, BudgetEntry
from subsidies.models.applications import Status
from subsidies.money import support_left_yuan
from subsidies.services import application_create, application_submit, application_transition
from tests.concurrency import approve_at_once
from tests.factories import STANDARD_FACTS, OrganisationFactory, UserFactory, applicant, officer, standard_item

YEAR = timezone.localdate().year


def submitted(user, amount=300_000, clause="FIM-4.2"):
    app = application_create(actor=user, achievement_key=standard_item(), clause_code=clause, facts=STANDARD_FACTS, amount_requested_yuan=amount,
                             description="牵头制定国际标准", as_of=dt.date(2026, 6, 1))
    return application_submit(actor=user, application_id=app.pk)


def head(bureau: str):
    user = officer(bureau)
    Profile.objects.filter(user=user).update(is_bureau_head=True)
    user.refresh_from_db()
    return user


@pytest.mark.django_db
def test_approving_commits_the_amount_and_a_second_beyond_the_budget_is_refused_in_wan_yuan():
    lead = officer("市经济信息委")
    budget = budget_set(actor=lead, measure_number=4, year=YEAR, amount_yuan=500_000)
    first, second = submitted(applicant()), submitted(applicant())

    application_transition(actor=lead, application_id=first.pk, action="approve")
    with pytest.raises(Conflict) as refused:
        application_transition(actor=lead, application_id=second.pk, action="approve")

    budget.refresh_from_db()
    assert (budget.committed_yuan, budget.remaining_yuan) == (300_000, 200_000)
    assert refused.value.code == "over_budget" and "20 万元" in refused.value.message
    second.refresh_from_db()
    assert second.status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_bureau_head_approves_beyond_the_budget_with_a_recorded_reason():
    budget = budget_set(actor=officer("市经济信息委"), measure_number=4, year=YEAR, amount_yuan=100_000)
    app = submitted(applicant())

    with pytest.raises(NotAllowed):
        application_transition(actor=officer("市经济信息委"), application_id=app.pk, action="approve",
                               override_reason="重点项目")
    application_transition(actor=head("市经济信息委"), application_id=app.pk, action="approve",
                           override_reason="重点项目")

    budget.refresh_from_db()
    assert (budget.committed_yuan, budget.overrun_yuan) == (300_000, 200_000)
    assert BudgetEntry.objects.get(budget=budget, kind="override").reason == "重点项目"


@pytest.mark.django_db
def test_an_approval_beyond_the_organisations_yearly_cap_is_refused_showing_what_is_left():
    org = OrganisationFactory()
    lead = officer("市经济信息委")
    first, second = submitted(applicant(org)), submitted(applicant(org), amount=250_000)

    with override_settings(PORTAL_FIM_CAP_PER_ORGANISATION_YUAN=500_000):
        application_transition(actor=lead, application_id=first.pk, action="approve")
        left = support_left_yuan(org.pk)
        with pytest.raises(Conflict) as refused:
            application_transition(actor=lead, application_id=second.pk, action="approve")
        application_transition(actor=lead, application_id=second.pk, action="approve", amount_approved_yuan=200_000)

    assert left == 200_000
    assert refused.value.code == "over_yearly_cap" and refused.value.params["left_yuan"] == 200_000
    assert "20 万元" in refused.value.message


@pytest.mark.django_db
def test_reopening_is_not_offered_to_officers_and_releases_the_commitment():
    lead = officer("市经济信息委")
    budget = budget_set(actor=lead, measure_number=4, year=YEAR, amount_yuan=1_000_000)
    app = submitted(applicant())
    application_transition(actor=lead, application_id=app.pk, action="approve")

    with pytest.raises(DomainError):
        application_transition(actor=lead, application_id=app.pk, action="reopen", reason="异议成立")
    application_transition(actor=lead, application_id=app.pk, action="reopen", reason="异议成立", internal=True)

    app.refresh_from_db()
    budget.refresh_from_db()
    assert app.status == Status.UNDER_REVIEW and budget.committed_yuan == 0
    assert list(budget.entries.filter(kind__in=["commit", "release"]).values_list("kind", flat=True)) == [
        "commit", "release"]


@pytest.mark.django_db(transaction=True)
def test_twenty_approvals_at_once_against_a_budget_that_fits_ten_approve_exactly_ten():
    from catalogue.loading import policies_load

    policies_load()
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    budget = budget_set(actor=admin, measure_number=4, year=YEAR, amount_yuan=10 * 300_000)
    apps = [submitted(applicant()) for _ in range(20)]
    officers = [officer("市经济信息委") for _ in range(20)]
    results = approve_at_once(list(zip(officers, apps)))

    budget = Budget.objects.get(pk=budget.pk)
    assert sorted(results) == ["ok"] * 10 + ["over_budget"] * 10
    assert budget.committed_yuan == 3_000_000 and budget.remaining_yuan == 0
    assert type(apps[0]).objects.filter(status=Status.APPROVED).count() == 10


@pytest.mark.django_db
def test_the_approving_officer_sees_the_budget_left_and_the_applicant_what_is_left_under_the_cap():
    from django.test import Client
    from rest_framework.test import APIClient

    lead, owner = officer("市经济信息委"), applicant()
    budget_set(actor=lead, measure_number=4, year=YEAR, amount_yuan=2_000_000)
    app = submitted(owner)
    officer_page, owner_page = Client(), Client()
    officer_page.force_login(lead)
    owner_page.force_login(owner)
    api = APIClient()
    api.force_authenticate(owner)

    with override_settings(PORTAL_FIM_CAP_PER_ORGANISATION_YUAN=1_000_000):
        shown = officer_page.get(f"/applications/{app.pk}/").content.decode()
        seen = owner_page.get(f"/applications/{app.pk}/").content.decode()
        detail = api.get(f"/api/v1/applications/{app.pk}/").json()

    assert "200 万元" in shown and 'id="money-left"' in shown
    assert 'id="support-left"' in seen and "100 万元" in seen
    assert detail["support_left_yuan"] == 1_000_000
