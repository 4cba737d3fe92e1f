"""Review journeys in Chromium, each page audited at 1280 and 390 px (tests/browser/audit.py): a rule draft rejected,
amended and published; a rollback as a reviewed draft; IIC-12 with its plan and self-assessment through both stages;
an officer's review with a consultation the applicant never sees."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Profile, Role
from carriers.loading import carriers_load
from rules.models import GoldenCase
from rules.selectors import clause_edit_args, current_version
from rules.services import clause_rule_edit, ruleset_draft_create, ruleset_publish, ruleset_submit
from subsidies.services import application_create, application_submit
from tests.browser.audit import audit
from tests.browser.test_application_flow import sign_in
from tests.factories import STANDARD_FACTS, OrganisationFactory, UserFactory, applicant, officer, standard_item
from tests.integration.test_carriers import IIC_FACTS, iic_plan_complete

pytestmark = pytest.mark.browser
QUESTION = "请确认该国际标准是否由申请单位牵头起草"
ANSWER = "经核实，申请单位为第一起草单位"


def rule_administrator(username):
    user = UserFactory(username=username)
    Profile.objects.create(user=user, role=Role.RULE_ADMIN)
    return user


def edit_fim42(page, amount):
    page.locator("#clause-FIM-4\\.2").get_by_role("link", name="编辑").click()
    page.fill("#id_amount_yuan", amount)
    page.get_by_role("button", name="保存到草稿").click()
    expect(page.locator(".messages")).to_contain_text("FIM-4.2 已保存到草稿")


def test_a_rule_draft_is_rejected_amended_by_its_author_and_published_by_the_reviewer(new_page):
    rule_administrator("author")
    rule_administrator("reviewer")
    author, reviewer = new_page(), new_page()
    sign_in(author, "author")
    sign_in(reviewer, "reviewer")

    author.goto("/rules/")
    audit(author, "rule-review-versions")
    author.get_by_role("button", name="以现行版本新建草稿").click()
    expect(author).to_have_url(re.compile(r"/rules/versions/\d+/$"))
    draft_url = author.url
    edit_fim42(author, "800000")
    # the checks run the case library: the FIM-4.2 cases that expect 50 万元 fail, and the amount differs from its text
    author.get_by_role("link", name="静态检查").first.click()
    expect(author.locator("#case-summary")).to_have_attribute("data-failed", re.compile(r"[1-9]"))
    expect(author.locator('[data-code="amount_differs_from_text"]')).to_contain_text("最高50万元")
    audit(author, "rule-review-checks")
    author.goto(draft_url)
    author.get_by_role("button", name="提交审核").click()
    expect(author.locator(".version-title .status")).to_have_text("审核中")

    # the reviewer sees the failing cases before the publish button, and sends it back
    reviewer.goto(draft_url)
    expect(reviewer.locator("#failing-case-list")).to_contain_text("FIM-4.2")
    audit(reviewer, "rule-review-in-review")
    reviewer.fill("#id_reject_note", "保持原文的最高50万元")
    reviewer.get_by_role("button", name="退回", exact=True).click()
    expect(reviewer.locator(".version-title .status")).to_have_text("已退回")

    # the author amends and resubmits
    author.goto(draft_url)
    expect(author.locator("#rejection-note")).to_have_text("保持原文的最高50万元")
    audit(author, "rule-review-rejected")
    author.get_by_role("button", name="修改并重新提交").click()
    expect(author.locator(".version-title .status")).to_have_text("草稿")
    edit_fim42(author, "500000")
    author.get_by_role("button", name="提交审核").click()
    expect(author.locator(".version-title .status")).to_have_text("审核中")

    # every case passes now; the reviewer publishes
    reviewer.goto(draft_url)
    expect(reviewer.locator("#case-summary")).to_have_attribute("data-failed", "0")
    audit(reviewer, "rule-review-resubmitted")
    reviewer.get_by_role("button", name="发布", exact=True).click()
    expect(reviewer.locator(".version-title .status")).to_have_text("已发布")
    expect(reviewer.locator("#history")).to_contain_text("已重新打开修改")
    audit(reviewer, "rule-review-published")


def test_a_rollback_is_a_draft_that_another_administrator_reviews_and_publishes(new_page):
    original = current_version()
    author, reviewer = UserFactory(), UserFactory()
    raised = ruleset_draft_create(actor=author)
    clause_rule_edit(actor=author, version=raised, clause_code="FIM-4.2",
                     **{**clause_edit_args(raised, "FIM-4.2"), "amount_yuan": 800_000})
    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan=500_000).update(amount_yuan=800_000)
    ruleset_submit(actor=author, version=raised)
    ruleset_publish(actor=reviewer, version=raised, acknowledgements={"FIM-4.2": "市经济信息委决定"})
    rule_administrator("drafter")
    rule_administrator("second")
    drafter, second = new_page(), new_page()
    sign_in(drafter, "drafter")
    sign_in(second, "second")

    drafter.goto("/rules/")
    drafter.fill(f"#rollback-note-{original.number}", "回到原文的最高50万元")
    drafter.locator(f"#version-{original.number}").get_by_role("button", name="起草回退到此版本").click()
    expect(drafter.locator(".version-title .status")).to_have_text("草稿")
    expect(drafter.locator("#case-changes")).to_contain_text("最高 80 万元")
    expect(drafter.locator("#case-changes")).to_contain_text("最高 50 万元")
    audit(drafter, "rollback-draft")
    rollback_url = drafter.url
    drafter.get_by_role("button", name="提交审核").click()
    drafter.get_by_role("button", name="发布", exact=True).click()
    expect(drafter.locator(".messages")).to_contain_text("必须由另一位管理员审核并发布")
    assert current_version() == raised

    second.goto(rollback_url)
    expect(second.locator("#case-summary")).to_have_attribute("data-failed", "0")
    audit(second, "rollback-review")
    second.get_by_role("button", name="发布", exact=True).click()
    expect(second.locator(".version-title .status")).to_have_text("已发布")
    audit(second, "rollback-published")
    assert current_version().source == "rollback"
    assert set(GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False)
               .values_list("amount_yuan", flat=True)) == {500_000}


def test_an_iic12_application_with_its_plan_and_self_assessment_goes_through_both_stages(new_page):
    carriers_load()
    owner = applicant(organisation=OrganisationFactory(name="重庆具身智能研究有限公司", district="渝北区"), username="firm")
    officer("渝北区发展改革委", username="yubei")
    officer("市发展改革委", username="fgw")
    app = application_create(actor=owner, clause_code="IIC-12", facts=IIC_FACTS, as_of=dt.date(2026, 6, 1))
    page = new_page()
    sign_in(page, "firm")

    # the application page lists its parts; submitting waits for them and says what is missing
    page.goto(f"/applications/{app.pk}/")
    expect(page.locator('[data-part="iic_plan"]')).to_have_attribute("data-complete", "false")
    expect(page.locator('[data-blocked="submit"]')).to_contain_text("组建方案（附件1）")
    audit(page, "iic12-draft")
    iic_plan_complete(owner, app)  # 附件1's 21 sub-items and two attachments (the plan page has its own test)
    page.locator('[data-part="iic_self_assessment"] a').click()
    for field in page.locator("input[name^=score_]").all():
        field.fill(field.get_attribute("max"))
    audit(page, "iic12-self-assessment")
    page.get_by_role("button", name="保存自评表").click()
    expect(page.locator('[data-part="iic_self_assessment"]')).to_have_attribute("data-complete", "true")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#summary .status")).to_have_attribute("data-status", "submitted")
    audit(page, "iic12-submitted")

    # the district 主管单位 reads both parts and recommends
    district = new_page()
    sign_in(district, "yubei")
    district.goto(f"/applications/{app.pk}/")
    district.locator('[data-part="iic_plan"] a').click()
    expect(district.locator("#plan")).to_contain_text("summary：内容")
    expect(district.locator("#self-total")).to_have_text("100 / 110")
    audit(district, "iic12-district-parts")
    district.goto(f"/applications/{app.pk}/")
    district.fill("#reason", "符合布局方向，择优推荐")
    district.get_by_role("button", name="审核推荐").click()
    expect(district.locator(".messages")).to_be_visible()

    # 市发展改革委 reads them too, and approves
    city = new_page()
    sign_in(city, "fgw")
    city.goto(f"/carriers/applications/{app.pk}/iic-parts/")
    expect(city.locator("#self-total")).to_have_text("100 / 110")
    audit(city, "iic12-city-parts")
    city.goto(f"/applications/{app.pk}/")
    city.get_by_role("button", name="批准").click()
    expect(city.locator("#summary .status")).to_have_attribute("data-status", "approved")
    audit(city, "iic12-approved")


def test_an_officer_consults_another_bureau_and_the_applicant_sees_none_of_it(new_page):
    owner = applicant(organisation=OrganisationFactory(name="重庆具身智能科技有限公司"), username="firm")
    handler, ipo = officer("市经济信息委", username="jxw"), officer("市知识产权局", username="ipo")
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=400_000,
                             as_of=dt.date(2026, 6, 1), achievement_key=standard_item())
    application_submit(actor=owner, application_id=app.pk)

    officer_page = new_page()
    sign_in(officer_page, "jxw")
    officer_page.goto(f"/applications/{app.pk}/")
    officer_page.select_option("#consult-bureau", "市知识产权局")
    officer_page.fill("#consult-question", QUESTION)
    officer_page.get_by_role("button", name="发送").click()
    expect(officer_page.locator(".consultation")).to_contain_text(QUESTION)
    audit(officer_page, "consultation-asked")

    ipo_page = new_page()
    sign_in(ipo_page, "ipo")
    ipo_page.goto(f"/applications/{app.pk}/")
    ipo_page.fill(".consultation textarea", ANSWER)
    ipo_page.get_by_role("button", name="回复").click()
    expect(ipo_page.locator(".consultation")).to_contain_text(ANSWER)
    audit(ipo_page, "consultation-answered")

    officer_page.goto(f"/applications/{app.pk}/")
    officer_page.get_by_role("button", name="批准").click()
    expect(officer_page.locator("#summary .status")).to_have_attribute("data-status", "approved")

    applicant_page = new_page()
    sign_in(applicant_page, "firm")
    applicant_page.goto(f"/applications/{app.pk}/")
    text = applicant_page.locator("main").inner_text()
    assert QUESTION not in text and ANSWER not in text and "jxw" not in text and "ipo" not in text
    expect(applicant_page.locator("#summary .status")).to_have_attribute("data-status", "approved")
    audit(applicant_page, "consultation-applicant-view")
    assert handler.pk and ipo.pk
