"""The registers' dynamic management, the IIC-16 change report and the duplicate-item warning, in Chromium at 1280 and
390 px: no horizontal overflow, no serious axe violation, no English in the zh-hans pages."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from carriers.models import IndustryInnovationCentre, IndustryResearchInstitute
from carriers.services import centre_change_declare
from catalogue.models import Bureau
from subsidies.services import application_create
from tests.browser.audit import audit
from tests.browser.test_application_flow import sign_in
from tests.factories import STANDARD_FACTS, OrganisationFactory, applicant, officer

pytestmark = pytest.mark.browser


def test_the_district_reports_an_overdue_change_and_the_officer_warns_an_institute(new_page, policies):
    org = OrganisationFactory(name="重庆未来智造科技有限公司", district="渝北区")
    centre = IndustryInnovationCentre.objects.create(
        name="重庆市低空经济产业创新中心", lead_unit=org.name, recognised_on=dt.date(2025, 3, 1), organisation=org,
        supervising_bureau=Bureau.objects.get(short_name_zh="渝北区发展改革委"))
    centre_change_declare(actor=applicant(organisation=org), centre_id=centre.pk, kind="rename",
                          registered_on=dt.date(2025, 6, 3), description="更名为重庆市低空智能产业创新中心",
                          today=dt.date(2025, 6, 3))
    institute = IndustryResearchInstitute.objects.create(name="重庆大学先进制造研究院", mode="academic_led",
                                                         functions=["rd"], recognised_on=dt.date(2025, 8, 1))
    officer("渝北区发展改革委", username="yubei")
    officer("市经济信息委", username="jxw")
    page = new_page()

    sign_in(page, "yubei")
    page.goto("/carriers/iic/changes/")
    expect(page.locator("[data-state=overdue]")).to_contain_text("逾期未报送")
    audit(page, "centre-changes")
    page.click("button[value=report]")
    expect(page.locator("[data-state=reported_late]")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "jxw")
    page.goto(f"/carriers/institutes/{institute.pk}/")
    page.fill("#status-reason", "年度评估不合格，限期整改")
    page.click("button[value=warn]")
    expect(page.locator("#public-info [data-status]")).to_have_attribute("data-status", "warned")
    audit(page, "register-status")


def test_the_applicant_sees_the_same_item_claimed_before(new_page, policies):
    org = OrganisationFactory(name="重庆具身智能科技有限公司", district="渝北区")
    user = applicant(organisation=org, username="firm")
    application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=400_000,
                       achievement_key="ISO 12345:2026")
    later = application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=400_000,
                               achievement_key="ISO12345：2026")
    page = new_page()

    sign_in(page, "firm")
    page.goto(f"/applications/{later.pk}/")

    expect(page.locator("#earlier-claims")).to_contain_text("就新、不重复")
    audit(page, "earlier-claims")
