"""The policy library in Chromium: documents, marked clause quotes, clause pages, search and missing pages."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_fim_measure_10_reads_with_the_fim_10_2_quote_marked_and_linked(page, screenshot):
    page.goto("/policies/FIM/")

    article = page.locator("#art-10")
    mark = article.locator('mark.quote[data-clauses~="FIM-10.2"]')
    expect(article.locator("h2")).to_have_text("10.培育未来产业标志性产品")
    expect(mark).to_contain_text("对I类创新药给予1000万元奖励")
    expect(article.locator(".article__clauses")).to_contain_text("I类创新药")
    screenshot(page, "document")

    mark.get_by_role("link", name="FIM-10.2").click()

    expect(page).to_have_url("/clauses/FIM-10.2/")
    expect(page.locator("h1")).to_have_text("I类创新药")
    facts = page.locator(".clause-facts")
    expect(facts).to_contain_text("1,000 万元")
    expect(facts.locator("li", has_text="市经济信息委")).to_contain_text("牵头")
    expect(page.locator(".citation mark")).to_have_text("对I类创新药给予1000万元奖励")
    expect(page.locator(".conditions")).to_contain_text("药品在政策期内获批")
    screenshot(page, "clause")


def test_the_library_lists_five_documents_finds_clauses_and_explains_missing_pages(page):
    page.goto("/policies/")

    expect(page.locator(".doc-entry")).to_have_count(5)
    expect(page.locator(".doc-entry", has_text="渝经信规范〔2026〕1号")).to_contain_text("估计")

    page.fill("#q", "FIM-4")
    page.get_by_role("button", name="搜索").click()

    expect(page.locator(".clause-list li")).to_have_count(3)
    expect(page.locator(".clause-list")).to_contain_text("最高 50 万元")

    response = page.goto("/clauses/FIM-99/")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面未找到")
    expect(page.locator("main")).to_contain_text("FIM-99")
