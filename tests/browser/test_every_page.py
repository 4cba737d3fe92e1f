"""Every page, as each kind of user sees it, meets the standards in tests/browser/audit.py (zh-hans, 1280/390 px)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Profile, Role
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, UserFactory, applicant, officer

from .audit import audit

PUBLIC = ["/", "/check/", "/policies/", "/policies/FIM/", "/policies/IIC/", "/clauses/FIM-4.2/", "/calls/", "/login/",
          "/register/", "/password/reset/", "/register/dispute/", "/carriers/"]


def sign_in(page, user):
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-123456!")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_meets_the_standards(page, path):
    page.goto(path)

    audit(page, "public" + path.replace("/", "_"))


def test_the_applicants_pages_meet_the_standards(page):
    owner = applicant()
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=300_000,
                             as_of=dt.date(2026, 6, 1))
    application_submit(actor=owner, application_id=app.pk)
    sign_in(page, owner)

    for path in ("/applications/", f"/applications/{app.pk}/", "/inbox/", "/inbox/preferences/", "/organisation/"):
        page.goto(path)
        audit(page, "applicant" + path.replace("/", "_"))


def test_the_officers_pages_meet_the_standards(page):
    owner = applicant()
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=300_000,
                             as_of=dt.date(2026, 6, 1))
    application_submit(actor=owner, application_id=app.pk)
    sign_in(page, officer("市经济信息委"))

    for path in ("/applications/", f"/applications/{app.pk}/", "/inbox/"):
        page.goto(path)
        audit(page, "officer" + path.replace("/", "_"))


def test_the_district_officers_verification_queue_meets_the_standards(page):
    sign_in(page, officer("渝北区发展改革委"))

    page.goto("/organisations/verification/")
    audit(page, "district_verification")


def test_the_administrators_pages_meet_the_standards(page):
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.ADMIN)
    sign_in(page, user)
    from programmes.services import call_create

    call = call_create(actor=user, title_zh="标准化支持申报", clause_codes=["FIM-4.2"], opens_at=timezone.now(),
                       closes_at=timezone.now() + dt.timedelta(days=30), materials=[{"name_zh": "申报书"}])

    for path in ("/rules/", "/rules/versions/1/", "/rules/versions/1/checks/", "/rules/cases/", "/calls/new/",
                 f"/calls/{call.pk}/"):
        page.goto(path)
        audit(page, "admin" + path.replace("/", "_"))
