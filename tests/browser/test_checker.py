"""The eligibility checker in Chromium: live results through the API, hidden questions, languages, no-JS."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def state_lead_drafter_of_an_international_standard(page):
    """FIM-4.2: a Chongqing enterprise in a future-industry field led a standard published 2026-03-01."""
    page.fill("#id_as_of", "2026-06-01")
    page.select_option("#id_org_type", "enterprise")
    page.check("#id_registered_in_chongqing_0")
    page.select_option("#id_future_industry_field", "artificial_intelligence")
    page.select_option("#id_intl_standard_role", "lead")
    page.select_option("#id_intl_standard_field", "artificial_intelligence")  # the standard's own field (issue 9)
    page.fill("#id_intl_standard_published_on", "2026-03-01")


def test_lead_drafter_of_an_international_standard_sees_fim_4_2_with_its_amount_bureau_and_text(page, screenshot):
    page.goto("/check/")

    state_lead_drafter_of_an_international_standard(page)

    card = page.locator('.result--eligible[data-code="FIM-4.2"]')
    expect(card).to_contain_text("最高 50 万元")
    expect(card).to_contain_text("市经济信息委")
    expect(card.locator(".badge--lead")).to_have_text("牵头")
    expect(card.locator("blockquote")).to_contain_text("对发布的未来产业领域国际标准")
    expect(page.locator("#results")).to_have_attribute("aria-live", "polite")
    screenshot(page, "results")


# Was about the drug questions: FIM-10.2 no longer names an enterprise (a drug's holder may be a research institute,
# issue 9 finding 6), so the standards' questions (牵头制修订企业) show the same behaviour.
def test_standard_questions_disappear_for_a_university_and_return_for_an_enterprise(page):
    page.goto("/check/")
    expect(page.locator("#q-intl_standard_role")).to_be_visible()

    page.select_option("#id_org_type", "university")

    expect(page.locator("#q-intl_standard_role")).to_be_hidden()
    expect(page.locator("#q-intl_standard_published_on")).to_be_hidden()

    page.select_option("#id_org_type", "enterprise")

    expect(page.locator("#q-intl_standard_role")).to_be_visible()
    expect(page.locator("#q-intl_standard_published_on")).to_be_visible()

    page.select_option("#id_intl_standard_role", "lead")
    page.select_option("#id_org_type", "university")

    expect(page.locator("#q-intl_standard_published_on")).to_be_hidden()
    expect(page.locator("#q-intl_standard_role")).to_be_visible()  # answered questions stay


def test_switching_to_english_and_back_changes_labels_and_titles(page, screenshot):
    page.goto("/check/")
    expect(page.locator('label[for="id_org_type"]')).to_have_text("主体类型")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('label[for="id_org_type"]')).to_have_text("Organisation type")
    expect(page.locator("#id_org_type option[value=university]")).to_have_text("University")
    state_lead_drafter_of_an_international_standard(page)
    card = page.locator('.result--eligible[data-code="FIM-4.2"]')
    expect(card.locator("h4")).to_have_text("Lead drafter of a published international standard in a future-industry field")
    expect(card).to_contain_text("Up to CNY 500,000")
    expect(card).to_contain_text("Chongqing Municipal Commission of Economy and Information Technology")
    screenshot(page, "english")

    page.get_by_role("button", name="中文").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator('label[for="id_org_type"]')).to_have_text("主体类型")
    expect(page.get_by_role("navigation", name="主导航")).to_contain_text("资格自测")


def test_without_javascript_the_form_posts_and_the_server_renders_the_results(new_page, screenshot):
    page = new_page(java_script_enabled=False)
    page.goto("/check/")
    state_lead_drafter_of_an_international_standard(page)

    page.get_by_role("button", name="查看结果").click()

    expect(page).to_have_url(re.compile(r"/check/#results$"))
    card = page.locator('.result--eligible[data-code="FIM-4.2"]')
    expect(card).to_contain_text("最高 50 万元")
    expect(card).to_contain_text("市经济信息委")
    expect(card.locator("blockquote")).to_contain_text("对发布的未来产业领域国际标准")
    expect(page.locator("#id_intl_standard_published_on")).to_have_value("2026-03-01")
    screenshot(page, "server")


def test_a_value_the_api_refuses_is_explained_next_to_its_question(page):
    page.goto("/check/")

    page.fill("#id_incubated_future_enterprises", "-3")

    expect(page.locator("#err-incubated_future_enterprises")).to_have_text("数值超出允许范围。")
    expect(page.locator("#q-incubated_future_enterprises")).to_have_class("question question--error")
    expect(page.locator("#id_incubated_future_enterprises")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#results .error-box")).to_contain_text("孵化培育的未来产业创新企业数（家）")
