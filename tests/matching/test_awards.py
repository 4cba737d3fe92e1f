"""免申即享: a confirmed award is an approval like any other: budget, cap, notices, 公示 and payment; in bulk, each alone."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from matching.models import Match
from matching.services.applying import clause_matching_set, proposed_awards_confirm
from matching.services.lists import list_import_apply, list_import_preview
from notifications.models import Notification
from payments.models import PaymentOrder
from payments.services import publicity_finalise
from programmes.budgets import budget_set
from rules.selectors import current_version, rulebook_for_version
from subsidies.models import Application, ApplicationEvent
from subsidies.models.applications import Status
from tests.factories import applicant, officer

from .helpers import list_csv, run_job

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("matching.services.matching._today", lambda: dt.date(2026, 6, 1))


def proposed(count: int):
    """`count` enterprises on an imported 单项冠军 list, FIM-6.2 marked 免申即享 by an officer of its lead bureau."""
    from accounts.models import Profile, Role
    from tests.factories import UserFactory
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    members = [applicant() for _ in range(count)]
    rows = [[m.profile.organisation.name, m.profile.organisation.credit_code, "2026-05-20", "首次认定", "具身智能"]
            for m in members]
    record = list_import_preview(actor=admin, kind_code="single_champion_national", data=list_csv(rows), file_name="a.csv")
    run_job(list_import_apply(actor=admin, import_id=record.pk).job)
    lead = officer(rulebook_for_version(current_version()).clause("FIM-6.2").lead_bureau)
    clause_matching_set(actor=lead, clause_code="FIM-6.2", no_application=True)
    matches = list(Match.objects.filter(clause__code="FIM-6.2").order_by("pk"))
    assert [m.status for m in matches] == ["proposed"] * count
    return lead, members, matches


def test_a_confirmed_award_is_approved_with_its_budget_and_goes_through_publicity_to_a_payment_order():
    lead, [member], [match] = proposed(1)
    budget = budget_set(actor=lead, clause_code="FIM-6.2", year=YEAR, amount_yuan=3_000_000)

    result = proposed_awards_confirm(actor=lead, clause_code="FIM-6.2", match_ids=[match.pk])
    again = proposed_awards_confirm(actor=lead, clause_code="FIM-6.2", match_ids=[match.pk])

    assert (len(result.awarded), result.refused, again.awarded, again.refused) == (1, [], [], [])
    app = Application.objects.get(organisation=member.profile.organisation)
    match.refresh_from_db()
    assert (match.status, match.application_id, match.decided_by) == ("awarded", app.pk, lead)
    assert (app.status, app.amount_approved_yuan, app.decided_by, app.bureau) == (
        Status.APPROVED, 1_000_000, lead, lead.profile.bureau)
    assert app.facts["national_single_champion_recognised_on"] == "2026-05-20"
    assert app.reference.startswith(f"FIM-6.2-{YEAR}-") and app.achievement_key
    assert list(ApplicationEvent.objects.filter(application=app).order_by("pk").values_list("action", flat=True)) == [
        "create", "award"]
    budget.refresh_from_db()
    assert (budget.committed_yuan, budget.remaining_yuan) == (1_000_000, 2_000_000)
    assert Notification.objects.filter(recipient=member, kind="application.approved").count() == 1

    api = APIClient()
    api.force_authenticate(lead)
    published = api.post("/api/v1/publicity/", {"clause": "FIM-6.2", "title": "免申即享公示"}, format="json")
    assert published.status_code == 201, published.json()
    assert [e["amount_yuan"] for e in published.json()["entries"]] == [1_000_000]
    assert publicity_finalise(today=dt.date.fromisoformat(published.json()["ends_on"]) + dt.timedelta(days=1)) == 1
    order = PaymentOrder.objects.get()
    assert order.amount_yuan == 1_000_000


def test_confirming_together_refuses_the_award_over_budget_alone_and_the_page_names_it(client):
    lead, members, matches = proposed(2)
    budget_set(actor=lead, clause_code="FIM-6.2", year=YEAR, amount_yuan=1_500_000)
    client.force_login(lead)

    response = client.post("/matching/clauses/FIM-6.2/", {"action": "confirm", "match": [str(m.pk) for m in matches]},
                           follow=True)

    page = response.content.decode()
    first, second = (Match.objects.get(pk=m.pk) for m in matches)
    assert (first.status, second.status) == ("awarded", "proposed")
    assert Application.objects.get(organisation=members[0].profile.organisation).status == Status.APPROVED
    assert not Application.objects.filter(organisation=members[1].profile.organisation).exists()
    assert members[1].profile.organisation.name in page and "2 award(s)" not in page
    assert "未确认" in page and "的奖励未确认：预算余额为 50 万元" in page


def test_the_api_reports_each_refusal_and_an_already_supported_achievement_is_refused():
    lead, members, matches = proposed(1)
    api = APIClient()
    api.force_authenticate(lead)
    first = api.post("/api/v1/matching/clauses/FIM-6.2/confirm", {"match_ids": [matches[0].pk]}, format="json")
    assert first.status_code == 200 and first.json()["confirmed"] == 1
    assert first.json()["awarded"][0]["reference"].startswith("FIM-6.2-")
    # another award for the same achievement (another clause's match bearing the same key) is refused by the rule
    app = Application.objects.get()
    other = Application.objects.create(organisation=app.organisation, created_by=lead, clause=app.clause,
                                       facts=app.facts, as_of=app.as_of, achievement_key=app.achievement_key,
                                       achievement_kind=app.achievement_kind,
                                       achievement_normalised=app.achievement_normalised, idempotency_key="other")
    from subsidies.services.actions import application_transition
    from policy_portal.exceptions import DomainError
    with pytest.raises(DomainError) as refused:
        application_transition(actor=lead, application_id=other.pk, action="award", internal=True)
    assert refused.value.code == "achievement_already_supported"
    with pytest.raises(DomainError):
        application_transition(actor=lead, application_id=other.pk, action="award")  # not offered outside services


def test_an_award_beyond_the_yearly_cap_is_refused_naming_what_is_left(settings):
    settings.PORTAL_FIM_CAP_PER_ORGANISATION_YUAN = 800_000
    lead, [member], [match] = proposed(1)

    result = proposed_awards_confirm(actor=lead, clause_code="FIM-6.2", match_ids=[match.pk])

    assert result.awarded == [] and [exc.code for _m, exc in result.refused] == ["over_yearly_cap"]
    match.refresh_from_db()
    assert match.status == "proposed" and not Application.objects.exists()


def test_the_clause_page_links_an_awarded_match_to_its_application(client):
    lead, [member], [match] = proposed(1)
    proposed_awards_confirm(actor=lead, clause_code="FIM-6.2", match_ids=[match.pk])
    client.force_login(lead)

    page = client.get("/matching/clauses/FIM-6.2/").content.decode()
    detail = client.get(f"/applications/{Application.objects.get().pk}/")

    assert Application.objects.get().reference in page
    assert detail.status_code == 200 and "免申即享认定" in detail.content.decode()
