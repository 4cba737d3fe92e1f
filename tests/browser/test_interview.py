"""The checker as an interview in Chromium: the embodied-AI enterprise answers step by step, every page audited
at 1280 px and 390 px (no sideways scrolling, no serious axe violation, no English), a screenshot per step."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.audit import audit
from tests.factories import STANDARD_FACTS

pytestmark = pytest.mark.browser


def answer_step(page, profile, *, unsure=()):
    """Answer the questions on the page from the profile; leave the rest empty. Returns the facts asked."""
    asked = page.locator(".question[data-fact]").evaluate_all("els => els.map(e => [e.dataset.fact, e.dataset.type])")
    for fact, kind in asked:
        if fact in unsure:
            page.locator(f"#q-{fact} .choice--unsure input").check()
        elif fact in profile:
            value = profile[fact]
            if kind == "bool":
                page.check(f"#id_{fact}_{0 if value else 1}")
            elif kind == "enum":
                page.select_option(f"#id_{fact}", value)
            else:
                page.fill(f"#id_{fact}", str(value))
    return [fact for fact, _kind in asked]


def walk(page, profile, *, audit_as="", unsure=()):
    page.goto("/check/interview/")
    page.fill("#id_as_of", "2026-06-01")
    page.check('input[name="topics"][value="standards"]')
    asked, step = [], 1
    while page.locator("#asked").count() == 0:
        expect(page.locator(".interview__step")).to_contain_text(f"第 {step} 步")
        asked += answer_step(page, profile, unsure=unsure)
        if audit_as:
            audit(page, f"{audit_as}-step-{step}")
        page.get_by_role("button", name="下一步").click()
        step += 1
    return asked


def test_the_embodied_ai_enterprise_gets_its_answer_in_at_most_15_questions_on_audited_pages(page):
    asked = walk(page, STANDARD_FACTS, audit_as="interview")

    assert len(asked) + 1 <= 15  # + the topics question
    expect(page.locator("#asked")).to_have_attribute("data-asked", str(len(asked) + 1))
    expect(page.locator('.result--eligible[data-code="FIM-4.2"]')).to_contain_text("最高 50 万元")
    expect(page.locator('[data-total="cap"]')).to_have_text("最高 50 万元")
    audit(page, "interview-result")

    page.locator("#share-link").click()

    expect(page.locator('.result--eligible[data-code="FIM-4.2"]')).to_be_visible()
    audit(page, "interview-shared")


def test_going_back_keeps_answers_and_not_sure_goes_to_review_at_390_px(new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/check/interview/")
    page.fill("#id_as_of", "2026-06-01")
    page.check('input[name="topics"][value="standards"]')
    answer_step(page, STANDARD_FACTS)
    page.get_by_role("button", name="下一步").click()
    expect(page.locator(".interview__step")).to_contain_text("第 2 步")

    page.get_by_role("button", name="上一步").click()

    expect(page.locator("#id_org_type")).to_have_value("enterprise")
    expect(page.locator("#id_registered_in_chongqing_0")).to_be_checked()
    expect(page.locator('input[name="topics"][value="standards"]')).to_be_checked()
    page.get_by_role("button", name="下一步").click()
    while page.locator("#asked").count() == 0:
        answer_step(page, STANDARD_FACTS, unsure={"intl_standard_published_on"})
        page.get_by_role("button", name="下一步").click()
    card = page.locator('.result--review[data-code="FIM-4.2"]')
    expect(card).to_contain_text("不确定")
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_interview_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)

    asked = walk(page, STANDARD_FACTS)

    assert len(asked) + 1 <= 15
    expect(page.locator('.result--eligible[data-code="FIM-4.2"]')).to_be_visible()
    expect(page).to_have_url(re.compile(r"/check/interview/$"))
