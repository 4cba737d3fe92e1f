"""Issue 13 end to end in Chromium: an administrator imports a national 单项冠军 list (Excel, merged title row,
Excel dates), previews and applies it; the enterprise on it finds FIM-6.2 under 为您匹配 with a notification in its
inbox and applies with one click, and the draft carries the imported facts. Every matching page passes the audit."""
import datetime as dt
import importlib
import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.models import Profile, Role
from subsidies.models import Application
from tests.browser.audit import audit
from tests.browser.test_application_flow import sign_in
from tests.factories import OrganisationFactory, UserFactory, applicant, credit_code

pytestmark = pytest.mark.browser


def champion_list(rows) -> bytes:
    """A list as ministries publish it: a merged title row above the header, dates as Excel dates."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年国家级制造业单项冠军企业名单"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "企业名称", "统一社会信用代码", "认定日期", "认定类型", "所属领域"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def list_kinds(policies):
    """The list kinds matching's data migration creates: the live server's database is flushed after each browser
    test, so a test that runs after another one would find none (an empty 名单类型 select)."""
    from django.apps import apps

    importlib.import_module("matching.migrations.0002_list_kinds").create(apps, None)


def test_an_imported_champion_finds_fim_6_2_under_its_matches_and_applies_with_one_click(new_page, list_kinds):
    admin = UserFactory(username="lists")
    Profile.objects.create(user=admin, role=Role.ADMIN)
    firm = OrganisationFactory(name="重庆冠军智能装备有限公司")
    applicant(organisation=firm, username="champion")
    data = champion_list([[firm.name, firm.credit_code, dt.datetime(2026, 5, 20), "首次认定", "具身智能"],
                          ["重庆未注册科技有限公司", credit_code(770001), "2026年5月21日", "首次认定", "低空经济"]])

    page = new_page()
    sign_in(page, "lists")
    page.click("nav >> text=官方名单导入")
    audit(page, "matching-lists")
    page.select_option("#kind", "single_champion_national")
    page.set_input_files("#file", files=[{"name": "单项冠军.xlsx", "buffer": data,
                                          "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("button:has-text(\"预览\")")
    expect(page.locator("#summary")).to_contain_text("2")
    expect(page.locator(".import-rows")).to_contain_text(firm.name)
    expect(page.locator(".import-rows")).to_contain_text("2026-05-20")
    audit(page, "matching-preview")
    page.click("button:has-text(\"确认导入\")")
    expect(page.locator("#import-state")).to_have_text("已导入")
    expect(page.locator("#job-status")).to_contain_text("已完成")
    audit(page, "matching-applied")

    firm_page = new_page()
    sign_in(firm_page, "champion")
    firm_page.goto("/inbox/")
    expect(firm_page.locator(".inbox")).to_contain_text("FIM-6.2")
    firm_page.click("nav >> text=为您匹配")
    card = firm_page.locator("#match-FIM-6\\.2")
    expect(card).to_contain_text("100 万元")
    expect(card).to_contain_text("对未来产业领域新认定的市级单项冠军企业")
    audit(firm_page, "matching-mine")
    firm_page.click("main a:has-text(\"单位画像\")")
    expect(firm_page.locator(".profile-facts")).to_contain_text("官方名单")
    audit(firm_page, "matching-profile")
    firm_page.go_back()
    firm_page.locator("#match-FIM-6\\.2").locator("button:has-text(\"一键申报\")").click()
    expect(firm_page.locator("h1")).to_contain_text("FIM-6.2")

    application = Application.objects.get(organisation=firm)
    assert application.facts["national_single_champion_recognised_on"] == "2026-05-20"
    assert application.facts["future_industry_field"] == "embodied_ai"
    assert application.achievement_key.startswith("国家级制造业单项冠军企业名单")


def test_the_officers_matching_pages_pass_the_audit(new_page):
    from catalogue.models import Clause
    from matching.models import Match
    from rules.selectors import current_version, rulebook_for_version
    from tests.factories import officer

    from django.utils import timezone

    from programmes.budgets import budget_set

    for name in ("重庆冠军智能装备有限公司", "重庆第二冠军科技有限公司"):  # the budget pays for the first only
        Match.objects.create(organisation=OrganisationFactory(name=name), clause=Clause.objects.get(code="FIM-6.2"),
                             rule_version=1, outcome="eligible", status="notified",
                             first_seen=dt.datetime(2026, 6, 1, tzinfo=dt.UTC), last_seen=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
                             status_changed_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    lead = officer(rulebook_for_version(current_version()).clause("FIM-6.2").lead_bureau, username="lead")
    budget_set(actor=lead, clause_code="FIM-6.2", year=timezone.localdate().year, amount_yuan=1_500_000)
    page = new_page()

    sign_in(page, "lead")
    page.click("nav >> text=政策匹配")
    expect(page.locator("main")).to_contain_text("FIM-6.2")
    audit(page, "matching-clauses")
    page.click("main a:has-text(\"FIM-6.2\")")
    page.click("button:has-text(\"设为免申即享\")")
    expect(page.locator("main")).to_contain_text("拟奖励名单")
    audit(page, "matching-clause")
    page.click("button:has-text(\"确认所选奖励\")")
    expect(page.locator("main")).to_contain_text("奖励已确认")
    expect(page.locator("main")).to_contain_text("对重庆第二冠军科技有限公司的奖励未确认：预算余额为 50 万元")
    expect(page.locator("main")).to_contain_text("FIM-6.2-")  # the awarded match links to its approved application
    audit(page, "matching-clause-awarded")

    # what would make a near miss apply (linked from the check page's near misses)
    facts = '{"org_type":"enterprise","registered_in_chongqing":false,"future_industry_field":"embodied_ai",' \
            '"national_single_champion_recognised_on":"2026-05-20","national_single_champion_recognition_type":"reconfirmed"}'
    page.goto(f"/what-if/?clause=FIM-6.2&as_of=2026-06-01&facts={facts}")
    expect(page.locator("#what-if-changes")).to_contain_text("首次认定")
    audit(page, "matching-what-if")
