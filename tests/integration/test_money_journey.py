"""Done when: one application from submit to paid and confirmed through the API, through 公示 with an objection
lodged and rejected, the budget's committed and paid figures right at each step."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Notification
from payments.models import PaymentOrder, PublicityEntry
from payments.services import objection_lodge, publicity_finalise
from policy_portal.exceptions import Conflict
from programmes.budgets import budget_set
from programmes.models import Budget
from subsidies.models import Application
from subsidies.models.applications import Status
from tests.factories import STANDARD_FACTS, OrganisationFactory, applicant, officer, standard_item

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def figures(budget: Budget) -> tuple[int, int, int]:
    budget.refresh_from_db()
    return budget.committed_yuan, budget.paid_yuan, budget.remaining_yuan


def approved_through_the_api(owner, lead, amount=300_000) -> int:
    created = client(owner).post("/api/v1/applications/", {
        "clause": "FIM-4.2", "facts": STANDARD_FACTS, "amount_requested_yuan": amount,
        "description": "牵头制定国际标准", "as_of": "2026-06-01", "achievement_key": standard_item()}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    submitted = client(owner).post(f"/api/v1/applications/{pk}/submit/")
    assert submitted.status_code == 200, submitted.json()
    approved = client(lead).post(f"/api/v1/applications/{pk}/decide/", {"decision": "approve"}, format="json")
    assert approved.status_code == 200, approved.json()
    return pk


def test_from_submission_to_paid_and_confirmed_through_publicity_with_a_rejected_objection():
    lead, owner = officer("市经济信息委"), applicant(OrganisationFactory(name="重庆<b>甲</b>科技"))
    budget = budget_set(actor=lead, measure_number=4, year=YEAR, amount_yuan=1_000_000)

    pk = approved_through_the_api(owner, lead)
    assert figures(budget) == (300_000, 0, 700_000)

    published = client(lead).post("/api/v1/publicity/", {"clause": "FIM-4.2", "title": "2026年第一批公示"}, format="json")
    assert published.status_code == 201, published.json()
    publicity = published.json()
    assert [e["organisation_name"] for e in publicity["entries"]] == ["重庆<b>甲</b>科技"]
    assert set(publicity["entries"][0]) == {"id", "organisation_name", "credit_code", "clause_code", "amount_yuan",
                                            "state"}
    listed = client().get("/api/v1/publicity/").json()["results"]
    assert listed[0]["id"] == publicity["id"]

    objected = client().post(f"/api/v1/publicity/{publicity['id']}/objections/", {
        "entry": publicity["entries"][0]["id"], "name": "张三", "contact": "13800000000",
        "reasons": "该标准并非牵头制定", "files": [SimpleUploadedFile("证据.pdf", PDF, "application/pdf")]},
        format="multipart")
    assert objected.status_code == 201, objected.json()
    objections = client(lead).get(f"/api/v1/publicity/{publicity['id']}/objections/").json()
    assert objections[0]["files"] == ["证据.pdf"] and objections[0]["state"] == "open"

    after_period = dt.date.fromisoformat(publicity["ends_on"]) + dt.timedelta(days=1)
    assert publicity_finalise(today=after_period) == 0  # an open objection holds the entry
    answered = client(lead).post(f"/api/v1/objections/{objected.json()['id']}/answer/",
                                 {"upheld": False, "answer": "经核实，该企业为牵头单位"}, format="json")
    assert answered.status_code == 200 and answered.json()["state"] == "rejected"
    assert publicity_finalise(today=after_period) == 1
    assert publicity_finalise(today=after_period) == 0  # the beat task repeats harmlessly
    assert figures(budget) == (300_000, 0, 700_000)

    orders = client(owner).get("/api/v1/payments/").json()["results"]
    assert len(orders) == 1 and orders[0]["amount_yuan"] == 300_000
    instalment = orders[0]["instalments"][0]
    assert instalment["status"] == "scheduled"

    paid = client(lead).post(f"/api/v1/payments/instalments/{instalment['id']}/pay/",
                             {"paid_on": str(timezone.localdate()), "voucher_no": "CQ-2026-0001"}, format="json")
    assert paid.status_code == 200, paid.json()
    assert figures(budget) == (0, 300_000, 700_000)

    confirmed = client(owner).post(f"/api/v1/payments/instalments/{instalment['id']}/confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "completed"
    assert confirmed.json()["instalments"][0]["status"] == "confirmed"
    budgets = client(lead).get(f"/api/v1/budgets/?year={YEAR}").json()["results"]
    assert (budgets[0]["committed_yuan"], budgets[0]["paid_yuan"], budgets[0]["remaining_yuan"]) == (0, 300_000, 700_000)
    assert Application.objects.get(pk=pk).status == Status.APPROVED


def test_an_upheld_objection_takes_the_entry_off_and_the_application_back_to_review_releasing_the_budget():
    lead, owner = officer("市经济信息委"), applicant()
    budget = budget_set(actor=lead, measure_number=4, year=YEAR, amount_yuan=1_000_000)
    pk = approved_through_the_api(owner, lead)
    publicity = client(lead).post("/api/v1/publicity/", {"clause": "FIM-4.2", "title": "公示"}, format="json").json()
    entry = publicity["entries"][0]["id"]
    objection = client().post(f"/api/v1/publicity/{publicity['id']}/objections/", {
        "entry": entry, "name": "李四", "contact": "li@example.test", "reasons": "重复申报"}, format="json").json()

    answered = client(lead).post(f"/api/v1/objections/{objection['id']}/answer/",
                                 {"upheld": True, "answer": "异议成立，退回重新审核"}, format="json")

    assert answered.status_code == 200
    assert Application.objects.get(pk=pk).status == Status.UNDER_REVIEW
    assert PublicityEntry.objects.get(pk=entry).state == "withdrawn"
    assert client().get(f"/api/v1/publicity/{publicity['id']}/").json()["entries"] == []
    assert figures(budget) == (0, 0, 1_000_000)
    assert Notification.objects.filter(recipient=owner, kind="payments.reopened").count() == 1
    assert publicity_finalise(today=dt.date.fromisoformat(publicity["ends_on"]) + dt.timedelta(days=1)) == 0
    assert not PaymentOrder.objects.exists()


def test_objections_are_refused_after_the_period_and_throttled_per_address():
    lead = officer("市经济信息委")
    approved_through_the_api(applicant(), lead)
    publicity = client(lead).post("/api/v1/publicity/", {"clause": "FIM-4.2", "title": "公示", "working_days": 3},
                                  format="json").json()
    body = {"entry": publicity["entries"][0]["id"], "name": "王五", "contact": "1", "reasons": "理由"}

    from django.core.cache import cache
    cache.clear()
    codes = [client().post(f"/api/v1/publicity/{publicity['id']}/objections/", body, format="json").status_code
             for _ in range(6)]
    cache.clear()
    late = client().post(f"/api/v1/publicity/{publicity['id']}/objections/", body, format="json",
                         REMOTE_ADDR="10.0.0.9")

    assert codes == [201] * 5 + [429]
    assert late.status_code == 201  # another address (the period is still open today)
    with pytest.raises(Conflict) as closed:
        objection_lodge(publicity_id=publicity["id"], entry_id=body["entry"], name="王五", contact="1", reasons="理由",
                        today=dt.date.fromisoformat(publicity["ends_on"]) + dt.timedelta(days=1))
    assert closed.value.code == "publicity_closed"


def test_an_order_cancelled_with_a_reason_releases_what_it_still_held():
    lead, owner = officer("市经济信息委"), applicant()
    budget = budget_set(actor=lead, measure_number=4, year=YEAR, amount_yuan=1_000_000)
    approved_through_the_api(owner, lead)
    publicity = client(lead).post("/api/v1/publicity/", {"clause": "FIM-4.2", "title": "公示"}, format="json").json()
    publicity_finalise(today=dt.date.fromisoformat(publicity["ends_on"]) + dt.timedelta(days=1))
    order = client(lead).get("/api/v1/payments/").json()["results"][0]

    without = client(lead).post(f"/api/v1/payments/{order['id']}/cancel/", {}, format="json")
    cancelled = client(lead).post(f"/api/v1/payments/{order['id']}/cancel/", {"reason": "认定被撤销，追回"}, format="json")

    assert without.status_code == 400 and without.json()["field"] == "reason"
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["instalments"][0]["status"] == "cancelled"
    assert figures(budget) == (0, 0, 1_000_000)
