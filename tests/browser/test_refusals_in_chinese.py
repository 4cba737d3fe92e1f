"""Refusals in the Chinese UI, in Chromium: the words come from the catalogue, never an English sentence or an id.

Four refusals a user meets: an amount above a clause's cap, an upload whose content is not its type, a
rejection without a reason, and publishing a rule draft that makes library cases fail.
"""
import datetime as dt
import json
import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from accounts.models import Profile, Role
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, OrganisationFactory, UserFactory, applicant, officer, standard_item

pytestmark = pytest.mark.browser
PASSWORD = "pw-123456!"  # UserFactory's
AS_OF = dt.date(2026, 6, 1)
LATIN_SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,.;:]+[A-Za-z]+){2,}")  # three or more English words in a row
DATABASE_ID = re.compile(r"\b(?:id|pk)\b|#\d+", re.IGNORECASE)


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.locator(".site-nav__user")).to_have_text(username)


def refusal(page) -> str:
    """The refusal the page shows, once it is shown."""
    shown = page.locator(".message--error")
    expect(shown).to_have_count(1)
    return shown.inner_text()


def assert_reads_chinese(text: str):
    assert LATIN_SENTENCE.findall(text) == [], text
    assert DATABASE_ID.findall(text) == [], text
    assert re.search(r"[\u4e00-\u9fff]", text), text


def fim42_draft(user):
    return application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                              as_of=AS_OF)


def amount_above_the_cap(new_page):
    applicant(organisation=OrganisationFactory(name="重庆具身智能科技有限公司"), username="firm")
    page = new_page()
    sign_in(page, "firm")
    page.goto("/applications/new/?" + urlencode({"clause": "FIM-4.2", "facts": json.dumps(STANDARD_FACTS),
                                                   "as_of": AS_OF.isoformat()}))
    page.locator("#amount").evaluate("input => { input.form.noValidate = true; }")  # as a client ignoring max= would
    page.fill("#amount", "600000")
    page.click("text=保存草稿")
    text = refusal(page)
    assert "FIM-4.2" in text and "万元" in text, text
    return text


def content_not_its_type(new_page):
    firm = applicant(organisation=OrganisationFactory(name="重庆具身智能科技有限公司"), username="firm")
    app = fim42_draft(firm)
    page = new_page()
    sign_in(page, "firm")
    page.goto(f"/applications/{app.pk}/")
    page.set_input_files("#file", {"name": "标准文本.pdf", "mimeType": "application/pdf",
                                   "buffer": b"This is plain text, not a PDF document at all."})
    page.get_by_role("button", name="上传").click()
    text = refusal(page)
    assert str(app.pk) not in re.findall(r"\d+", text), text
    return text


def rejected_without_a_reason(new_page):
    firm = applicant(organisation=OrganisationFactory(name="重庆具身智能科技有限公司"), username="firm")
    officer("市经济信息委", username="jxw")
    app = application_submit(actor=firm, application_id=fim42_draft(firm).pk)
    page = new_page()
    sign_in(page, "jxw")
    page.goto(f"/applications/{app.pk}/")
    page.locator("button[value=reject]").click()
    text = refusal(page)
    assert "理由" in text, text
    return text


def publishing_while_cases_fail(new_page):
    for username in ("author", "reviewer"):
        Profile.objects.create(user=UserFactory(username=username), role=Role.RULE_ADMIN)
    author = new_page()
    sign_in(author, "author")
    author.goto("/rules/")
    author.get_by_role("button", name="以现行版本新建草稿").click()
    expect(author).to_have_url(re.compile(r"/rules/versions/\d+/$"))
    draft_url = author.url
    author.locator("#clause-FIM-4\\.2").get_by_role("link", name="编辑").click()
    author.fill("#id_amount_yuan", "800000")  # the library's FIM-4.2 case still expects 50 万元
    author.get_by_role("button", name="保存到草稿").click()
    author.get_by_role("button", name="提交审核").click()
    expect(author.locator(".version-title .status")).to_have_text("审核中")
    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    reviewer.goto(draft_url)
    # 80 万元 differs from the quoted 最高50万元: acknowledged, so the refusal is the case library's
    reviewer.locator('.acknowledgement[data-clause="FIM-4.2"] textarea').fill("市经济信息委决定提高支持额度")
    reviewer.get_by_role("button", name="发布", exact=True).click()
    text = refusal(reviewer)
    assert "FIM-4.2" in text and "50 万元" in text and "80 万元" in text, text
    expect(reviewer.locator("#failing-cases")).to_contain_text("FIM-4.2")  # the cases, by name, beside it
    return text


@pytest.mark.parametrize("trigger", [
    pytest.param(amount_above_the_cap, id="amount-above-cap"),
    pytest.param(content_not_its_type, id="upload"),
    pytest.param(rejected_without_a_reason, id="reason-required"),
    pytest.param(publishing_while_cases_fail, id="publish-gate"),
])
def test_a_refusal_reads_in_chinese_with_no_english_sentence_and_no_id(new_page, screenshot, trigger):
    text = trigger(new_page)

    assert_reads_chinese(text)
