"""The pages of 公示, payments and statistics: escaped public names, objections by form, instalments shown to the
applicant, statistics for officers only with an export equal to the table."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from payments.models import Objection
from payments.services import instalment_pay, publicity_create, publicity_finalise
from payments.statistics import statistics
from programmes.budgets import budget_set
from subsidies.services import application_create, application_submit, application_transition
from tests.factories import STANDARD_FACTS, OrganisationFactory, applicant, officer, standard_item

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
EVIL = '重庆<script>alert("x")</script>科技'


def approved(owner, lead, amount=300_000):
    app = application_create(actor=owner, achievement_key=standard_item(), clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=amount,
                             description="标准", as_of=dt.date(2026, 6, 1))
    application_submit(actor=owner, application_id=app.pk)
    return application_transition(actor=lead, application_id=app.pk, action="approve")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_public_page_escapes_organisation_names_and_takes_an_objection():
    lead = officer("市经济信息委")
    approved(applicant(OrganisationFactory(name=EVIL)), lead)
    publicity = publicity_create(actor=lead, clause_code="FIM-4.2", title="<i>公示</i>")
    entry = publicity.entries.get()

    page = Client().get(f"/publicity/{publicity.pk}/").content.decode()
    listing = Client().get("/publicity/").content.decode()
    posted = Client().post(f"/publicity/{publicity.pk}/objections/", {
        "entry": entry.pk, "name": "<b>张</b>", "contact": "138", "reasons": "理由<img src=x onerror=alert(1)>",
        "files": SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")})
    officer_page = logged_in(lead).get(f"/publicity/{publicity.pk}/").content.decode()
    stored = Objection.objects.get(entry=entry).files.get()
    path = f"/publicity/{publicity.pk}/objections/{stored.objection_id}/files/{stored.pk}/"
    downloaded = logged_in(lead).get(path)
    stranger = logged_in(officer("市科技局")).get(path)

    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;i&gt;公示" in listing
    assert posted.status_code == 302 and Objection.objects.filter(entry=entry).count() == 1
    assert "<img src=x" not in officer_page and "&lt;img src=x" in officer_page
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content).startswith(b"%PDF")
    assert stranger.status_code == 404


def test_the_applicant_sees_each_instalment_and_the_officer_records_payment_by_form():
    lead, owner = officer("市经济信息委"), applicant()
    approved(owner, lead)
    publicity = publicity_create(actor=lead, clause_code="FIM-4.2", title="公示")
    publicity_finalise(today=publicity.ends_on + dt.timedelta(days=1))
    instalment = publicity.entries.get().payment_order.instalments.get()

    paid = logged_in(lead).post(f"/payments/{instalment.order_id}/act/", {
        "action": "pay", "instalment": instalment.pk, "paid_on": str(timezone.localdate()), "voucher_no": "V-1"})
    page = logged_in(owner).get("/payments/").content.decode()

    assert paid.status_code == 302
    assert "V-1" in page and 'value="confirm"' in page and "30 万元" in page


def test_statistics_are_for_officers_and_the_export_is_the_table_shown():
    lead, owner = officer("市经济信息委"), applicant()
    budget_set(actor=lead, measure_number=4, year=YEAR, amount_yuan=5_000_000)
    for amount in (300_000, 200_000):
        approved(owner, lead, amount)
    publicity = publicity_create(actor=lead, clause_code="FIM-4.2", title="公示")
    publicity_finalise(today=publicity.ends_on + dt.timedelta(days=1))
    first = publicity.entries.order_by("pk").first().payment_order.instalments.get()
    instalment_pay(actor=lead, instalment_id=first.pk, paid_on=timezone.localdate(), voucher_no="V-2")

    refused = logged_in(owner).get("/statistics/")
    page = logged_in(lead).get(f"/statistics/?group_by=clause&year={YEAR}")
    exported = logged_in(lead).get(f"/statistics/?group_by=clause&year={YEAR}&format=csv")
    workbook = logged_in(lead).get(f"/statistics/?group_by=clause&year={YEAR}&format=xlsx")
    api = APIClient()
    api.force_authenticate(lead)
    rows = api.get(f"/api/v1/statistics/?group_by=clause&year={YEAR}").json()

    assert refused.status_code == 403
    assert page.status_code == 200
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert lines[1] == ["FIM-4.2", "2", "2", "500000", "300000"] and lines[-1][1:] == ["2", "2", "500000", "300000"]
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        [c if i == 0 or n == 0 else int(c) for i, c in enumerate(line)] for n, line in enumerate(lines)]
    assert rows == [{"key": "FIM-4.2", "count_applications": 2, "count_approved": 2, "amount_approved_yuan": 500_000,
                     "amount_paid_yuan": 300_000}]
    assert [r.key for r in statistics(group_by="month", year=YEAR)] == [f"{timezone.localdate():%Y-%m}"]
    assert api.get("/api/v1/statistics/?group_by=colour").status_code == 400
