"""The statistics page in Chromium: ECharts draws the chart, the totals shown are the database's, the CSV export is
the table shown; the 公示 and payment pages pass the audit (1280 and 390 px, axe, no English in the Chinese UI)."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone
from playwright.sync_api import expect

from payments.models import Instalment
from payments.services import instalment_pay, publicity_create, publicity_finalise
from subsidies.models import Application
from subsidies.services import application_create, application_submit, application_transition
from tests.browser.audit import audit
from tests.factories import STANDARD_FACTS, OrganisationFactory, applicant, officer, standard_item

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456!")
    page.click("main button[type=submit]")
    expect(page.locator(".site-nav__user")).to_have_text(username)


def world():
    from programmes.budgets import budget_set

    lead = officer("市经济信息委", username="jxw")
    budget_set(actor=lead, measure_number=4, year=timezone.localdate().year, amount_yuan=5_000_000)
    owners = [applicant(OrganisationFactory(district=d, name=f"重庆<em>{d}</em>科技")) for d in ("渝北区", "江北区", "渝中区")]
    apps = []
    for i, owner in enumerate(owners * 2):
        app = application_create(actor=owner, achievement_key=standard_item(), clause_code="FIM-4.2", facts=STANDARD_FACTS,
                                 amount_requested_yuan=50_000 * (i + 1), description="标准", as_of=dt.date(2026, 6, 1))
        application_submit(actor=owner, application_id=app.pk)
        apps.append(app)
    for app in apps[:4]:
        application_transition(actor=lead, application_id=app.pk, action="approve")
    application_transition(actor=lead, application_id=apps[4].pk, action="reject", reason="不符合")
    publicity = publicity_create(actor=lead, clause_code="FIM-4.2", title="2026年第一批未来产业政策兑现公示")
    publicity_finalise(today=publicity.ends_on + dt.timedelta(days=1))
    first = Instalment.objects.order_by("pk").first()
    instalment_pay(actor=lead, instalment_id=first.pk, paid_on=timezone.localdate(), voucher_no="CQ-0001")
    return lead, publicity, None


def test_the_statistics_page_draws_the_chart_and_shows_the_databases_totals(page):
    lead, publicity, _ = world()
    year = timezone.localdate().year
    sign_in(page, "jxw")

    page.goto(f"/statistics/?group_by=district&year={year}")
    expect(page.locator("#stats-chart[data-rendered='1'] svg")).to_have_count(1)
    shown = {node.get_attribute("data-total"): int(node.get_attribute("data-value"))
             for node in page.locator("[data-total]").all()}
    table = [[cell.inner_text().strip() for cell in row.locator("th, td").all()]
             for row in page.locator("#stats-table tr").all()]
    export = page.request.get(page.url.split("?")[0] + page.locator("a[href$='format=csv']").get_attribute("href"))

    db = Application.objects.filter(submitted_at__isnull=False).aggregate(
        apps=Count("pk"), approved=Count("pk", filter=Q(status="approved")),
        amount=Sum("amount_approved_yuan", filter=Q(status="approved")))
    paid = Instalment.objects.filter(status__in=["paid", "confirmed"]).aggregate(total=Sum("amount_yuan"))["total"]
    assert shown == {"count_applications": db["apps"], "count_approved": db["approved"],
                     "amount_approved_yuan": db["amount"], "amount_paid_yuan": paid}
    assert shown["count_applications"] == 6 and shown["amount_paid_yuan"] == 50_000
    assert list(csv.reader(io.StringIO(export.text().lstrip("\ufeff")))) == table
    assert [row[0] for row in table[1:-1]] == ["江北区", "渝中区", "渝北区"]
    assert page.locator("#budgets tbody tr").first.inner_text().split()[0] == "FIM-4"
    audit(page, "statistics")


def test_the_publicity_and_payment_pages_pass_the_audit(page):
    lead, publicity, _ = world()

    page.goto("/publicity/")
    expect(page.locator(f"[data-publicity='{publicity.pk}']")).to_be_visible()
    audit(page, "publicity-list")
    page.goto(f"/publicity/{publicity.pk}/")
    expect(page.locator("#entries .org").first).to_contain_text("<em>")  # shown as typed, not as markup
    audit(page, "publicity-detail")
    sign_in(page, "jxw")
    page.goto("/payments/")
    expect(page.locator("[data-instalment]").first).to_be_visible()
    audit(page, "payments")
