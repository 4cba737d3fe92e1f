"""Rule administration in Chromium: one administrator raises FIM-4.2's cap, another publishes, the checker shows it."""
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Profile, Role
from jobs.models import Job
from rules.selectors import current_version
from tests.browser.test_checker import state_lead_drafter_of_an_international_standard
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "pw-123456!"  # UserFactory's


def rule_administrator(username):
    user = UserFactory(username=username)
    Profile.objects.create(user=user, role=Role.RULE_ADMIN)
    return user


def sign_in(page, username):
    page.goto("/login/?next=/rules/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/rules/$"))


def test_a_raised_cap_is_drafted_reviewed_published_and_shown_by_the_checker(new_page, screenshot):
    rule_administrator("author")
    rule_administrator("reviewer")
    author = new_page()
    sign_in(author, "author")
    screenshot(author, "versions")

    # The author drafts: a copy of the current version, FIM-4.2's cap raised from 500,000 to 800,000 yuan.
    author.fill("#id_note", "FIM-4.2 上限提高到 80 万元")
    author.get_by_role("button", name="以现行版本新建草稿").click()
    expect(author).to_have_url(re.compile(r"/rules/versions/\d+/$"))
    draft_url = author.url
    expect(author.locator(".version-title .status")).to_have_text("草稿")
    author.locator("#clause-FIM-4\\.2").get_by_role("link", name="编辑").click()
    expect(author.locator("#id_amount_yuan")).to_have_value("500000")
    author.fill("#id_amount_yuan", "800000")
    screenshot(author, "clause-edit")
    author.get_by_role("button", name="保存到草稿").click()
    expect(author.locator("#clause-FIM-4\\.2")).to_contain_text("最高 80 万元")
    expect(author.locator(".messages")).to_contain_text("FIM-4.2 已保存到草稿")

    # The impact preview shows who the raise changes: the library's FIM-4.2 case that expects 50 万元.
    author.get_by_role("link", name="影响预览").first.click()
    expect(author.locator("#impact-changes")).to_contain_text("最高 50 万元 → 最高 80 万元")
    screenshot(author, "impact")

    # The case library still expects the old cap: move the FIM-4.2 cases that expect 500,000.
    author.get_by_role("link", name="案例库").click()
    author.select_option("#id_clause_filter", "FIM-4.2")
    author.get_by_role("button", name="筛选").click()
    old_cap = author.locator('#cases tr[data-clause="FIM-4.2"]').filter(has=author.locator('input[value="500000"]'))
    expect(old_cap).to_have_count(1)
    old_cap.locator('input[name="amount_yuan"]').fill("800000")
    old_cap.get_by_role("button", name="保存").click()
    expect(author.locator(".messages")).to_contain_text("已保存案例")
    expect(author.locator('#cases input[value="500000"]')).to_have_count(0)
    screenshot(author, "cases")

    # Submitted; the author cannot publish it too.
    author.goto(draft_url)
    author.get_by_role("button", name="提交审核").click()
    expect(author.locator(".version-title .status")).to_have_text("审核中")
    author.get_by_role("button", name="发布", exact=True).click()
    expect(author.locator(".messages")).to_contain_text("必须由另一位管理员审核并发布")
    expect(author.locator(".version-title .status")).to_have_text("审核中")

    # The reviewer publishes: every case passes, the version answers everywhere, open applications are re-evaluated.
    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    reviewer.goto(draft_url)
    reviewer.fill('textarea[name="ack-FIM-4.2"]', "市经济信息委决定将上限提高到 80 万元")  # differs from 最高50万元
    reviewer.fill("#id_publish_note", "已核对影响预览")
    reviewer.get_by_role("button", name="发布", exact=True).click()
    expect(reviewer.locator(".version-title .status")).to_have_text("已发布")
    expect(reviewer.locator(".version-title")).to_contain_text("现行")
    expect(reviewer.locator("#job-progress")).to_have_attribute("value", "100")
    expect(reviewer.locator("#job-status")).to_contain_text("已完成")
    expect(reviewer.locator("#history")).to_contain_text("发布")
    screenshot(reviewer, "published")

    # Anyone checking now sees the new cap.
    public = new_page()
    public.goto("/check/")
    state_lead_drafter_of_an_international_standard(public)
    card = public.locator('.result--eligible[data-code="FIM-4.2"]')
    expect(card).to_contain_text("最高 80 万元")
    screenshot(public, "checker")


def test_the_clause_editor_offers_only_the_operators_that_fit_the_fact_and_names_a_refused_field(new_page, screenshot):
    rule_administrator("editor")
    page = new_page()
    sign_in(page, "editor")
    page.get_by_role("button", name="以现行版本新建草稿").click()
    page.locator("#clause-FIM-4\\.2").get_by_role("link", name="编辑").click()

    page.get_by_role("button", name="添加条件").click()
    new_row = page.locator(".cond-row").last
    new_row.locator(".cond-fact").select_option("intl_standard_published_on")
    operators = new_row.locator(".cond-operator option").evaluate_all("options => options.map(o => o.value)")
    new_row.locator(".cond-fact").select_option("org_type")
    new_row.locator(".cond-operator").select_option("in")
    new_row.locator(".cond-value").fill('["enterprise", 7]')
    new_row.locator('input[name$="-message_zh"]').fill("主体类型为企业")
    new_row.locator('input[name$="-message_en"]').fill("The applicant is an enterprise")
    page.get_by_role("button", name="保存到草稿").click()

    assert operators == ["gt", "gte", "lt", "lte", "in_window", "exists", "review"]
    expect(page.locator("#error-summary")).to_contain_text("conditions[6][0].value")  # FIM-4.2 has 6 groups
    row = page.locator(".cond-row--error")
    expect(row.locator(".cond-field--value .field-error")).to_have_text("取值不在可选范围内。")
    expect(row.locator(".cond-value")).to_have_value('["enterprise", 7]')
    screenshot(page, "refused")


def test_the_version_page_follows_a_running_reevaluation_until_it_has_finished(new_page):
    rule_administrator("watcher")
    version = current_version()
    job = Job.objects.get_or_create(key=f"reevaluation:v{version.number}", defaults={"kind": "reevaluation"})[0]
    Job.objects.filter(pk=job.pk).update(params={"version": version.number}, state="running", total=4, done=1,
                                         chunks_total=1, chunks_done=0)
    page = new_page()
    sign_in(page, "watcher")

    page.goto(f"/rules/versions/{version.number}/")
    expect(page.locator("#job-progress")).to_have_attribute("value", "25")
    Job.objects.filter(pk=job.pk).update(done=3)

    expect(page.locator("#job-progress")).to_have_attribute("value", "75")
    expect(page.locator("#job-status")).to_contain_text("已重新评估 3 / 4 件在办申请")
    Job.objects.filter(pk=job.pk).update(done=4, changed=1, chunks_done=1, state="done", finished_at=timezone.now())

    expect(page.locator("#job-status")).to_contain_text("已完成：已重新评估 4 / 4 件在办申请，其中 1 件结果发生变化")
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
