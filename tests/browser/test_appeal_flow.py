"""复核 in Chromium: an officer rejects, the applicant appeals with a file within the limit, the officer who rejected
cannot review it, a second officer of the same bureau overturns it; the applicant finds each step in the inbox.
Every page is audited at 1280 px and 390 px (tests/browser/audit.py)."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from subsidies.services import application_create, application_submit
from tests.browser.audit import audit
from tests.browser.test_application_flow import sign_in
from tests.factories import STANDARD_FACTS, OrganisationFactory, applicant, officer

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_rejection_is_appealed_and_overturned_by_a_second_officer_of_the_bureau(new_page, tmp_path):
    owner = applicant(organisation=OrganisationFactory(name="重庆具身智能科技有限公司"), username="firm")
    officer("市经济信息委", username="jxw")
    officer("市经济信息委", username="jxw2")
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=450_000,
                             as_of=dt.date(2026, 6, 1), achievement_key="standard:ISO/IEC 30001:2026")
    app = application_submit(actor=owner, application_id=app.pk)  # its reference is given at submission
    evidence = tmp_path / "标准发布公告.pdf"
    evidence.write_bytes(PDF)

    jxw = new_page()
    sign_in(jxw, "jxw")
    jxw.goto("/applications/")
    expect(jxw.locator(f"tr:has-text('{app.reference}') [data-days-left]")).to_be_visible()
    audit(jxw, "appeal-queue")
    jxw.click(f"text={app.reference}")
    jxw.fill("#reason", "未见标准发布文件")
    jxw.click("button[value=reject]")
    expect(jxw.locator("[data-status]")).to_have_attribute("data-status", "rejected")

    firm = new_page()
    sign_in(firm, "firm")
    firm.goto(f"/applications/{app.pk}/")
    expect(firm.locator("#appeal-until")).to_be_visible()
    audit(firm, "appeal-rejected")
    firm.fill("#reason", "标准已于2026年3月发布，附发布公告")
    firm.set_input_files("#appeal-files", str(evidence))
    firm.click("button[value=appeal]")
    expect(firm.locator("[data-status]")).to_have_attribute("data-status", "appealed")
    expect(firm.locator("#appeals")).to_contain_text("标准发布公告.pdf")
    expect(firm.locator("#expected-decision")).to_be_visible()
    audit(firm, "appeal-sent")

    jxw.reload()
    expect(jxw.locator("button[value=overturn]")).to_have_count(0)  # never the officer who decided
    expect(jxw.locator("button[value=uphold]")).to_have_count(0)

    jxw2 = new_page()
    sign_in(jxw2, "jxw2")
    jxw2.goto("/inbox/")
    expect(jxw2.locator("main")).to_contain_text(f"申请 {app.reference} 的复核待办理")
    audit(jxw2, "appeal-inbox-reviewer")
    jxw2.goto(f"/applications/{app.pk}/")
    audit(jxw2, "appeal-to-review")
    jxw2.fill("#reason", "标准发布文件齐全，原决定撤销")
    jxw2.click("button[value=overturn]")
    expect(jxw2.locator("[data-status]")).to_have_attribute("data-status", "under_review")
    expect(jxw2.locator("#appeals [data-outcome=overturned]")).to_be_visible()
    expect(jxw2.locator(".history li[data-action=overturn]")).to_contain_text("jxw2")  # officers see who: the second officer
    audit(jxw2, "appeal-overturned")

    firm.goto("/inbox/")
    expect(firm.locator("main")).to_contain_text(f"申请 {app.reference} 复核结果：撤销原决定")
    audit(firm, "appeal-inbox-applicant")
    firm.goto(f"/applications/{app.pk}/")
    expect(firm.locator(".history li[data-action=overturn]")).to_contain_text("市经济信息委")  # the applicant: the bureau
    expect(firm.locator(".history li[data-action=overturn]")).not_to_contain_text("jxw")  # never an officer's username
    expect(firm.locator(".history li[data-action=appeal]")).to_contain_text("firm")
