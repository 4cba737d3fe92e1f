"""Issue 11 end to end in Chromium: an enterprise registers from the checker's apply button, confirms its email from
the outbox, is verified by its district, downloads a template, uploads the materials and submits inside an open call;
a second application, whose page was open when the call closed, is refused with the closing time. Every page is
audited at 1280 and 390 px."""
import datetime as dt
import io
import re
import time
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Profile, Role
from programmes.services import call_close_at, call_create, material_template_set
from subsidies.models import Application
from tests.browser.audit import audit
from tests.browser.test_checker import state_lead_drafter_of_an_international_standard
from tests.factories import UserFactory, credit_code, officer, standard_item

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def an_open_call():
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    call = call_create(actor=admin, title_zh="2026年未来产业标准化支持申报", clause_codes=["FIM-4.2"],
                       opens_at=timezone.now() - dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=20),
                       guide_zh="牵头制定国际标准的企业可申报。",
                       materials=[{"name_zh": "申报书", "extensions": [".pdf", ".docx"]},
                                  {"name_zh": "承诺书", "extensions": [".pdf"]}])
    material_template_set(actor=admin, material_id=call.materials.get(name_zh="申报书").pk,
                          upload=SimpleUploadedFile("申报书模板.docx", docx()))
    return admin, call


def apply_from_the_checker(page):
    page.goto("/check/")
    state_lead_drafter_of_an_international_standard(page)
    card = page.locator('.result--eligible[data-code="FIM-4.2"]')
    expect(card.locator(".result__call")).to_contain_text("截止时间")
    card.locator(".result__actions a").click()


def draft_and_gather_materials(page, tmp_path, audited=False):
    expect(page.locator("h1")).to_contain_text("FIM-4.2")
    page.fill("#amount", "450000")
    page.fill("#achievement", standard_item())  # 成果标识: the standard this application is for (就新、不重复)
    page.fill("#description", "牵头制定具身智能国际标准")
    page.click("text=保存草稿")
    expect(page.locator("#materials")).to_be_visible()
    if audited:
        audit(page, "call-draft")
    statement = page.locator('.material[data-material="申报书"]')
    with page.expect_download() as download:
        statement.locator("a[download]").click()
    assert download.value.suggested_filename.endswith(".docx")
    for name, file in (("申报书", "申报书.pdf"), ("承诺书", "承诺书.pdf")):
        (tmp_path / file).write_bytes(PDF)
        material = page.locator(f'.material[data-material="{name}"]')
        material.locator("input[type=file]").set_input_files(str(tmp_path / file))
        material.locator("button[type=submit]").click()
        expect(page.locator(f'.material[data-material="{name}"] .material__file')).to_contain_text(file)


def test_an_enterprise_registers_is_verified_and_submits_inside_the_call_and_not_after(new_page, tmp_path):
    _admin, call = an_open_call()
    district = officer("渝北区发展改革委", username="ybfgw")
    firm = new_page()

    # From the checker's apply button to the registration form
    firm.goto("/check/")
    audit(firm, "call-checker")
    apply_from_the_checker(firm)
    expect(firm).to_have_url(re.compile(r"/login/"))
    audit(firm, "call-login")
    firm.click("main a[href^='/register/']")
    audit(firm, "call-register")
    (tmp_path / "营业执照.png").write_bytes(PNG)
    firm.fill("#id_credit_code", credit_code(4242))
    firm.fill("#id_name", "重庆具身未来机器人有限公司")
    firm.select_option("#id_district", "渝北区")
    firm.select_option("#id_org_type", "enterprise")
    firm.set_input_files("#id_licence", str(tmp_path / "营业执照.png"))
    firm.fill("#id_contact_name", "张三")
    firm.fill("#id_contact_phone", "023-12345678")
    firm.fill("#id_email", "founder@example.test")
    firm.fill("#id_username", "founder")
    firm.fill("#id_password", "Str0ng-enough-pw")
    firm.click("main button[type=submit]")
    expect(firm.locator("main")).to_contain_text("founder@example.test")
    audit(firm, "call-registered")

    # The emailed link, from Django's outbox
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    firm.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(firm).to_have_url(re.compile(r"/login/"))
    firm.fill("#id_username", "founder")
    firm.fill("#id_password", "Str0ng-enough-pw")
    firm.click("main button[type=submit]")
    expect(firm.locator(".site-nav__user")).to_have_text("founder")

    # Before verification it drafts, and the page says why it cannot submit yet
    apply_from_the_checker(firm)
    audit(firm, "call-new-application")
    draft_and_gather_materials(firm, tmp_path, audited=True)
    expect(firm.locator("button[value=submit]")).to_have_count(0)
    expect(firm.locator('[data-blocked="submit"]')).to_contain_text("营业执照")
    audit(firm, "call-unverified")

    # The district officer verifies the organisation
    officer_page = new_page()
    officer_page.goto("/login/")
    officer_page.fill("#id_username", district.username)
    officer_page.fill("#id_password", "pw-123456!")
    officer_page.click("main button[type=submit]")
    officer_page.goto("/organisations/verification/")
    audit(officer_page, "call-verification-queue")
    officer_page.locator("article.verification", has_text="重庆具身未来机器人有限公司").locator(
        "button[value=verify]").click()
    expect(officer_page.locator("main")).to_contain_text("已核验")

    # Submitted inside the open call: a human-readable reference, the PDF linked
    firm.reload()
    firm.click("button[value=submit]")
    expect(firm.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    expect(firm.locator("h1")).to_contain_text(re.compile(r"FIM-4\.2-\d{4}-\d{6}"))
    expect(firm.locator("#document-link")).to_be_visible()
    audit(firm, "call-submitted")
    first = Application.objects.get(status="submitted")
    assert first.call == call

    # A second application: its page is open with the submit button when the call closes
    apply_from_the_checker(firm)
    draft_and_gather_materials(firm, tmp_path)
    expect(firm.locator("button[value=submit]")).to_be_visible()
    closes = timezone.now() + dt.timedelta(seconds=1)
    call_close_at(actor=_admin, call_id=call.pk, closes_at=closes)
    time.sleep(max(0.0, (closes - timezone.now()).total_seconds()) + 0.2)
    firm.click("button[value=submit]")
    refusal = firm.locator(".message--error")
    expect(refusal).to_contain_text("截止")
    expect(refusal).to_contain_text(f"{timezone.localtime(closes):%Y-%m-%d %H:%M}")
    expect(firm.locator("[data-status]")).to_have_attribute("data-status", "draft")
    expect(firm.locator('.material[data-material="申报书"] .material__file')).to_contain_text("申报书.pdf")
    audit(firm, "call-refused-after-closing")
