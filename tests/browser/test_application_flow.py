"""Issue 3 end to end in Chromium: an applicant checks, applies and submits; the right officer approves; the applicant sees it."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_checker import state_lead_drafter_of_an_international_standard
from tests.factories import OrganisationFactory, applicant, officer

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456!")
    page.click("main button[type=submit]")
    expect(page.locator(".site-nav__user")).to_have_text(username)


def test_an_applicant_applies_from_the_checker_and_the_right_bureau_approves(new_page, screenshot):
    applicant(organisation=OrganisationFactory(name="重庆具身智能科技有限公司"), username="firm")
    officer("市经济信息委", username="jxw")
    officer("市科技局", username="kjj")
    firm = new_page()

    sign_in(firm, "firm")
    firm.goto("/check/")
    state_lead_drafter_of_an_international_standard(firm)
    firm.locator('.result--eligible[data-code="FIM-4.2"] .result__actions a').click()
    expect(firm.locator("h1")).to_contain_text("FIM-4.2")
    firm.fill("#amount", "450000")
    firm.fill("#achievement", "ISO/IEC 30001:2026")
    firm.fill("#description", "牵头制定具身智能国际标准")
    firm.click("text=保存草稿")
    firm.click("button[value=submit]")
    expect(firm.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    reference = firm.locator("h1").inner_text().split(" ")[0]
    screenshot(firm, "submitted")

    other = new_page()
    sign_in(other, "kjj")
    other.goto("/applications/")
    expect(other.locator("table")).to_have_count(0)  # 市科技局 sees nothing of 市经济信息委's queue

    jxw = new_page()
    sign_in(jxw, "jxw")
    jxw.goto("/applications/?status=submitted")
    jxw.click(f"text={reference}")
    expect(jxw.locator("#outcome")).to_have_text("符合条件")
    jxw.fill("#amount-approved", "400000")
    jxw.click("button[value=approve]")
    expect(jxw.locator("[data-status]")).to_have_attribute("data-status", "approved")
    screenshot(jxw, "approved")

    firm.reload()
    expect(firm.locator("[data-status]")).to_have_attribute("data-status", "approved")
    expect(firm.locator("#approved-amount")).to_contain_text("40 万元")
    history = firm.locator(".history li")
    expect(history).to_have_count(3)
    expect(history.nth(2)).to_contain_text("市经济信息委")  # the applicant knows the officer by their bureau
    expect(history.nth(2)).not_to_contain_text("jxw")  # never by their username
    expect(history.nth(2)).to_contain_text("批准")
