"""IIC-A2 in Chromium: an officer of the district 主管单位 scores an application on 附件2 with live totals;
an over-weight score is refused naming the indicator; full marks and both bonuses make 110."""
import pytest
from playwright.sync_api import expect

from carriers.loading import carriers_load
from carriers.models import IICScoreSheet
from subsidies.services import application_create, application_submit
from tests.browser.test_application_flow import sign_in
from tests.factories import OrganisationFactory, applicant, officer
from tests.integration.test_carriers import iic_parts_complete

pytestmark = pytest.mark.browser

IIC_FACTS = {"registered_in_chongqing": True, "iic_lead_unit": True, "iic_proposed_name": "重庆市具身智能产业创新中心",
             "iic_has_plan": True, "iic_has_evaluation_form": True}


@pytest.fixture
def iic_application(policies):
    carriers_load()  # the live server's database is flushed after each test: load 附件2 again
    user = applicant(organisation=OrganisationFactory(name="重庆具身智能研究有限公司", district="渝北区"))
    app = application_create(actor=user, clause_code="IIC-12", facts=IIC_FACTS)
    iic_parts_complete(user, app)  # 附件1 and the 附件2 self-assessment: required before submitting
    return application_submit(actor=user, application_id=app.pk)


def fill_full_marks(page):
    for field in page.locator("input[name^=score_], input[name^=bonus_]").all():
        field.fill(field.get_attribute("max"))


def test_an_officer_scores_with_live_totals_is_refused_over_a_weight_and_full_marks_make_110(
    new_page, iic_application, screenshot,
):
    officer("渝北区发展改革委", username="yubei")
    page = new_page()
    sign_in(page, "yubei")

    page.goto("/carriers/iic/scoring/")
    expect(page.locator("table")).to_contain_text("重庆市具身智能产业创新中心")
    page.get_by_role("link", name="评分", exact=True).click()
    expect(page.locator("h1")).to_contain_text("重庆市具身智能产业创新中心")
    expect(page.locator("input[name^=score_]")).to_have_count(27)
    expect(page.locator("input[name^=bonus_]")).to_have_count(2)

    # live totals, by second- and first-level indicator
    page.fill("#scores-chain_integration", "4.5")
    page.fill("#scores-core_technology", "5")
    page.fill("#scores-pilot_line", "3")
    expect(page.locator("#total-second-contribution")).to_have_text("9.5")
    expect(page.locator("#total-first-strategy")).to_have_text("9.5")
    expect(page.locator("#total-second-platform")).to_have_text("3")
    expect(page.locator("#total-first-capacity")).to_have_text("3")
    expect(page.locator("#total-grand")).to_have_text("12.5")
    screenshot(page, "live-totals")

    # over its weight: flagged as typed, and refused by the server naming the indicator
    fill_full_marks(page)
    page.fill("#scores-equity_investment", "6")
    expect(page.locator("#err-equity_investment")).to_contain_text("股权投资额")
    page.click("#save-scores")
    expect(page.locator("#error-summary")).to_contain_text("股权投资额：得分超过其权重 5 分")
    expect(page.locator("#scores-equity_investment")).to_have_attribute("aria-invalid", "true")
    assert not IICScoreSheet.objects.exists()
    screenshot(page, "over-weight-refused")

    # full marks and both bonuses: 100 + 10 = 110
    page.fill("#scores-equity_investment", "5")
    expect(page.locator("#err-equity_investment")).to_have_text("")
    expect(page.locator("#total-base")).to_have_text("100")
    expect(page.locator("#total-bonus")).to_have_text("10")
    expect(page.locator("#total-grand")).to_have_text("110")
    expect(page.locator("#total-second-institutions")).to_have_text("6")
    page.click("#save-scores")
    expect(page.locator(".message--success")).to_contain_text("110")
    expect(page.locator("#total-grand")).to_have_text("110")
    assert IICScoreSheet.objects.get().total == 110
    screenshot(page, "full-marks")

    page.goto("/carriers/iic/ranking/")
    expect(page.locator("#ranking tbody tr")).to_have_count(1)
    expect(page.locator("#ranking")).to_contain_text("110")
    screenshot(page, "ranking")


def test_the_registers_and_the_targets_dashboard_are_public(new_page, policies, screenshot):
    import datetime as dt

    from carriers.models import ComplexMember, InnovationComplex, IndustryResearchInstitute
    from carriers.services import complex_assessment_record, institute_assessment_record

    carriers_load()
    jxw = officer("市经济信息委")
    for n, day in enumerate([dt.date(2024, 11, 1), dt.date(2025, 5, 1), dt.date(2025, 9, 1), dt.date(2026, 2, 1)]):
        c = InnovationComplex.objects.create(
            name=f"重庆{'甲乙丙丁'[n]}产业创新综合体", kind="enterprise_led", lead_unit=f"重庆{'甲乙丙丁'[n]}科技有限公司",
            has_council=True, has_expert_committee=True, has_secretariat=True, charter_signed_on=day,
            future_industry_field="embodied_ai", district="渝北区", recognised_on=day)
        ComplexMember.objects.create(complex=c, name="重庆大学", role="成员单位")
        if day.year <= 2025:
            complex_assessment_record(actor=jxw, complex_id=c.pk, year=2025, rating="excellent" if n == 0 else "good",
                                      operating_as_entity=True, revenue_yuan=1000, rd_spend_yuan=25, new_product_sales_yuan=270,
                                      key_tech_tasks=8, needs_solved=30, typical_cases=3)
    institute = IndustryResearchInstitute.objects.create(name="重庆大学先进制造研究院", mode="academic_led", functions=["rd"],
                                                         recognised_on=dt.date(2025, 8, 1), district="沙坪坝区")
    institute_assessment_record(actor=jxw, institute_id=institute.pk, year=2025, rating="good",
                                incubated_future_enterprises=12, technical_services=900)
    page = new_page()

    page.goto("/carriers/dashboard/")
    chart = page.locator("#chart-PIC-complexes")
    expect(chart.locator(".chart__row")).to_have_count(3)
    chart.locator("summary").click()
    expect(chart.locator('tr[data-year="2025"] .actual')).to_have_text("3个")
    expect(page.locator('#chart-PIC-new_product_share tr[data-year="2025"] .actual')).to_have_text("27%")
    screenshot(page, "dashboard")

    page.goto("/carriers/complexes/")
    expect(page.locator("#register-count")).to_contain_text("4")
    page.fill("#q", "甲")
    page.click("form[role=search] button")
    expect(page.locator(".register-table tbody tr")).to_have_count(1)
    page.click("text=重庆甲产业创新综合体")
    expect(page.locator("#public-info")).to_contain_text("科技型企业主导型")
    expect(page.locator("#assessments")).to_contain_text("命名授牌")
    screenshot(page, "complex")

    page.goto("/carriers/")
    screenshot(page, "home")
