"""Issue 5: carriers recognised through applications, assessed by the responsible bureaus, feeding the engine,
measured on the targets dashboard, exported, scored on 附件2, and shown publicly."""
import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from carriers.dashboard import dashboard_rows
from carriers.facts import facts_from_register
from carriers.loading import carriers_load
from carriers.models import (
    CarrierEvent,
    ComplexAssessment,
    IICEstablishmentPlan,
    IncubationCarrier,
    IndustryInnovationCentre,
    IndustryResearchInstitute,
    InnovationComplex,
    InstituteAssessment,
)
from carriers.recognition import register_from_application
from carriers.services import (
    centre_annual_report_record,
    centre_evaluation_record,
    centre_fraud_record,
    complex_assessment_record,
    iic_plan_save,
    iic_score_sheet_save,
    incubator_assessment_record,
    institute_assessment_record,
    recognition_package_save,
)
from catalogue.models import Bureau
from policy_portal.exceptions import DomainError, NotAllowed
from rules.check import check
from subsidies.models import Application
from subsidies.models.applications import Status
from subsidies.services import application_create, application_submit, application_transition
from subsidies.services.attachments import attachment_add
from tests.factories import OrganisationFactory, applicant, officer

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 1)
CQ = {"registered_in_chongqing": True}
RIE_FACTS = {**CQ, "org_type": "industry_research_institute", "rie_mode": "academic_led", "rie_functions": ["rd", "pilot"]}
PIC_FACTS = {**CQ, "org_type": "enterprise", "tech_enterprise": True, "leads_innovation_complex": True,
             "complex_kind": "enterprise_led", "complex_field": "embodied_ai", "complex_formed_on": "2026-02-01",
             "complex_governance": ["council", "expert_committee", "secretariat", "binding_charter"],
             "complex_operating_as_entity": True}
INC_FACTS = {**CQ, "carrier_kind": "specialised_incubator", "incubator_level": "municipal"}
IIC_FACTS = {**CQ, "iic_lead_unit": True, "iic_proposed_name": "重庆市具身智能产业创新中心", "iic_has_plan": True,
             "iic_has_evaluation_form": True, "iic_has_leading_talent": True, "iic_has_rd_facilities": True,
             "iic_functions": ["rd_product", "commercialisation", "venture_incubation", "ip_operation"],
             "iic_mechanisms": ["talent_incentive", "result_sharing", "collaborative_innovation", "talent_service"]}
PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture(autouse=True)
def carriers_data(db):
    carriers_load()


def apply(user, clause, facts):
    return application_create(actor=user, clause_code=clause, facts=facts, as_of=AS_OF)


def submit(user, app, capture):
    with capture(execute=True):
        return application_submit(actor=user, application_id=app.pk)


def approve(app, bureau, capture):
    with capture(execute=True):
        return application_transition(actor=officer(bureau), application_id=app.pk, action="approve")


def force_approved(app):
    """An approval without the recognition hook (to see what the register alone refuses)."""
    Application.objects.filter(pk=app.pk).update(status=Status.APPROVED, decided_at=dt.datetime(2026, 6, 2, tzinfo=dt.UTC))
    app.refresh_from_db()
    return app


def iic_plan_complete(user, app):
    charter = attachment_add(actor=user, application_id=app.pk, upload=SimpleUploadedFile("章程.pdf", PDF))
    agreement = attachment_add(actor=user, application_id=app.pk, upload=SimpleUploadedFile("合作协议.pdf", PDF))
    sections = {f: f"{f}：内容" for f in (
        "summary basis_strategy basis_market basis_problems basis_significance units_lead units_others units_results "
        "units_conditions direction_main direction_tasks direction_strategy direction_goals organisation_structure "
        "organisation_people organisation_mechanisms construction_site construction_content construction_schedule "
        "construction_funding construction_benefits").split()}
    return iic_plan_save(actor=user, application_id=app.pk, sections=sections, charter_id=charter.pk,
                         supporting_ids=[agreement.pk])


def iic_parts_complete(user, app):
    """The parts IIC-12 requires before submitting: the 组建方案 (附件1) and the applicant's 附件2 self-assessment."""
    from carriers.services import iic_self_assessment_save

    iic_plan_complete(user, app)
    scores, bonus = full_marks()
    iic_self_assessment_save(actor=user, application_id=app.pk, scores=scores, bonus=bonus)
    return app


def iic_application(django_capture_on_commit_callbacks, *, plan=True):
    user = applicant(organisation=OrganisationFactory(name="重庆具身智能研究有限公司", district="渝北区"))
    app = apply(user, "IIC-12", IIC_FACTS)
    iic_parts_complete(user, app)
    app = submit(user, app, django_capture_on_commit_callbacks)
    if not plan:  # gone after submission: what the register itself refuses
        IICEstablishmentPlan.objects.filter(application=app).delete()
    return user, app


# ---------------------------------------------------------------- recognition


def test_an_approved_rie1_application_enters_the_institute_register(django_capture_on_commit_callbacks):
    user = applicant(organisation=OrganisationFactory(name="重庆大学先进制造研究院", org_type="industry_research_institute"))
    app = submit(user, apply(user, "RIE-1", RIE_FACTS), django_capture_on_commit_callbacks)
    app = approve(app, "市经济信息委", django_capture_on_commit_callbacks)

    institute = register_from_application(app)

    assert (institute.name, institute.mode, institute.functions) == ("重庆大学先进制造研究院", "academic_led", ["pilot", "rd"])
    assert (institute.organisation, institute.application, institute.district) == (app.organisation, app, "渝北区")
    assert institute.recognised_on is not None
    assert register_from_application(app) == institute  # idempotent
    assert IndustryResearchInstitute.objects.count() == 1
    assert CarrierEvent.objects.filter(kind="institute", object_id=institute.pk, action="recognise").count() == 1


def test_an_approved_pic2_application_enters_the_complex_register_with_its_governance_and_members(
    django_capture_on_commit_callbacks,
):
    user = applicant(organisation=OrganisationFactory(name="重庆智造科技有限公司"))
    app = apply(user, "PIC-2", PIC_FACTS)
    recognition_package_save(actor=user, application_id=app.pk, name="重庆具身智能产业创新综合体",
                             members=[{"name": "重庆大学", "role": "成员单位"}, {"name": "重庆某机器人公司", "role": ""}],
                             charter_signed_on=dt.date(2026, 1, 20))
    app = approve(submit(user, app, django_capture_on_commit_callbacks), "市经济信息委", django_capture_on_commit_callbacks)

    complex_ = register_from_application(app)

    assert complex_.name == "重庆具身智能产业创新综合体"
    assert complex_.kind == "enterprise_led" and complex_.lead_unit == "重庆智造科技有限公司"
    assert complex_.governance_complete and complex_.charter_signed_on == dt.date(2026, 1, 20)
    assert [m.name for m in complex_.members.order_by("pk")] == ["重庆大学", "重庆某机器人公司"]
    assert (complex_.future_industry_field, complex_.formed_on) == ("embodied_ai", dt.date(2026, 2, 1))


def test_a_complex_without_pic2s_governance_is_refused_naming_what_is_missing(django_capture_on_commit_callbacks):
    user = applicant()
    facts = {**PIC_FACTS, "complex_governance": ["council", "secretariat", "binding_charter"]}
    app = apply(user, "PIC-1", facts)
    recognition_package_save(actor=user, application_id=app.pk, name="重庆某产业创新综合体", charter_signed_on=dt.date(2026, 1, 1))
    app = force_approved(submit(user, app, django_capture_on_commit_callbacks))

    with pytest.raises(DomainError) as err:
        register_from_application(app)

    assert (err.value.code, err.value.field) == ("pic_governance", "facts.complex_governance")
    assert "专家委员会" in err.value.message  # named as the questionnaire labels it
    assert not InnovationComplex.objects.exists()


def test_an_approved_inc1_application_enters_the_incubator_register(django_capture_on_commit_callbacks):
    user = applicant(organisation=OrganisationFactory(name="两江新区特色孵化器", org_type="incubator"))
    app = submit(user, apply(user, "INC-1", INC_FACTS), django_capture_on_commit_callbacks)
    app = approve(app, "市经济信息委", django_capture_on_commit_callbacks)

    carrier = register_from_application(app)

    assert (carrier.name, carrier.kind, carrier.level, carrier.family) == (
        "两江新区特色孵化器", "specialised_incubator", "municipal", "incubator")


def test_an_iic12_application_recommended_and_approved_enters_the_centre_register(django_capture_on_commit_callbacks):
    user, app = iic_application(django_capture_on_commit_callbacks)
    application_transition(actor=officer("渝北区发展改革委"), application_id=app.pk, action="recommend", reason="择优推荐")
    app = approve(app, "市发展改革委", django_capture_on_commit_callbacks)

    centre = register_from_application(app)

    assert centre.name == "重庆市具身智能产业创新中心"
    assert centre.supervising_bureau.short_name_zh == "渝北区发展改革委"
    assert centre.missing_requirements() == []
    assert centre.status == IndustryInnovationCentre.Status.ACTIVE


def test_a_centre_without_a_complete_establishment_plan_is_refused(django_capture_on_commit_callbacks):
    _user, app = iic_application(django_capture_on_commit_callbacks, plan=False)

    with pytest.raises(DomainError) as err:
        register_from_application(force_approved(app))

    assert (err.value.code, err.value.field) == ("iic_plan_incomplete", "iic_plan.summary")


def test_a_centre_missing_an_iic11_mechanism_is_refused(django_capture_on_commit_callbacks):
    user = applicant()
    facts = {**IIC_FACTS, "iic_mechanisms": ["talent_incentive", "result_sharing", "collaborative_innovation"]}
    app = apply(user, "IIC-12", facts)
    iic_parts_complete(user, app)

    with pytest.raises(DomainError) as err:
        register_from_application(force_approved(submit(user, app, django_capture_on_commit_callbacks)))

    assert (err.value.code, err.value.field) == ("iic_requirements", "facts.iic_mechanisms")
    assert "人才服务机制" in err.value.message  # named as the questionnaire labels it


def test_the_iic_plans_summary_is_at_most_2500_characters(django_capture_on_commit_callbacks):
    user = applicant()
    app = apply(user, "IIC-12", IIC_FACTS)

    iic_plan_save(actor=user, application_id=app.pk, sections={"summary": "摘" * 2500})
    with pytest.raises(DomainError) as err:
        iic_plan_save(actor=user, application_id=app.pk, sections={"summary": "摘" * 2501})

    assert (err.value.code, err.value.field) == ("too_long", "sections.summary")


# ---------------------------------------------------------------- assessments and the engine


def make_complex(org=None, **kwargs):
    values = {"name": "重庆具身智能产业创新综合体", "kind": "enterprise_led", "lead_unit": "重庆智造科技有限公司",
              "has_council": True, "has_expert_committee": True, "has_secretariat": True,
              "charter_signed_on": dt.date(2026, 1, 20), "future_industry_field": "embodied_ai",
              "operating_as_entity": True, "recognised_on": dt.date(2026, 3, 1), "organisation": org} | kwargs
    return InnovationComplex.objects.create(**values)


def test_a_complex_assessment_makes_the_engine_report_fim_2_5(book):
    org = OrganisationFactory()
    complex_ = make_complex(org)
    before = check(book, facts_from_register(org), AS_OF)

    complex_assessment_record(actor=officer("市科技局"), complex_id=complex_.pk, year=2026, rating="good",
                              operating_as_entity=True, revenue_yuan=1000, rd_spend_yuan=30)
    after = check(book, facts_from_register(org), AS_OF)

    assert "FIM-2.5" not in {e["code"] for e in before["eligible"]}
    assert facts_from_register(org)["complex_assessment"] == "good"
    assert "FIM-2.5" in {e["code"] for e in after["eligible"]}


def test_an_excellent_complex_is_named_and_meets_pic4(book):
    org = OrganisationFactory()
    complex_ = make_complex(org)

    assessment = complex_assessment_record(actor=officer("市经济信息委"), complex_id=complex_.pk, year=2026,
                                           rating="excellent", operating_as_entity=True)

    assert assessment.named
    assert "PIC-4" in {e["code"] for e in check(book, facts_from_register(org), AS_OF)["eligible"]}


def test_an_incubator_evaluation_feeds_fim_5_2_and_its_miit_grade_fim_5_3(book):
    org = OrganisationFactory(org_type="incubator")
    carrier = IncubationCarrier.objects.create(name="两江新区特色孵化器", kind="specialised_incubator", level="municipal",
                                               miit_grade="standard", recognised_on=dt.date(2025, 9, 1), organisation=org)

    incubator_assessment_record(actor=officer("市经济信息委"), carrier_id=carrier.pk, year=2025, conversion_rate="62.5",
                                survival_rate=Decimal("88"), incubated_valuation_yuan=300_000_000, rating="pass")
    facts = facts_from_register(org)
    eligible = {e["code"] for e in check(book, facts, AS_OF)["eligible"]}

    assert (facts["incubator_evaluation"], facts["conversion_rate"], facts["survival_rate"]) == ("pass", "62.5", "88")
    assert {"FIM-5.2", "FIM-5.3", "INC-2"} <= eligible


def test_an_institute_assessment_is_in_its_category_and_reports_incubation(book):
    org = OrganisationFactory(org_type="industry_research_institute")
    institute = IndustryResearchInstitute.objects.create(name="重庆大学先进制造研究院", mode="academic_led",
                                                         functions=["rd"], recognised_on=dt.date(2025, 8, 1), organisation=org)

    assessment = institute_assessment_record(actor=officer("市经济信息委"), institute_id=institute.pk, year=2025,
                                             rating="good", incubated_future_enterprises=3, technical_services=120)
    eligible = {e["code"] for e in check(book, facts_from_register(org), AS_OF)["eligible"]}

    assert assessment.category == "academic_led"
    assert {"RIE-2", "FIM-5.1"} <= eligible


def test_iic_fraud_adjusts_the_centre_and_the_engine_reports_iic15(book):
    org = OrganisationFactory()
    centre = IndustryInnovationCentre.objects.create(
        name="重庆市低空经济产业创新中心", lead_unit=org.name, recognised_on=dt.date(2025, 3, 1), organisation=org,
        supervising_bureau=Bureau.objects.get(short_name_zh="渝北区发展改革委"),
    )

    centre_fraud_record(actor=officer("市发展改革委"), centre_id=centre.pk, verified_on=dt.date(2026, 5, 1),
                        description="虚报研发投入", adjustment="rectify")
    centre.refresh_from_db()
    facts = facts_from_register(org)

    assert centre.status == IndustryInnovationCentre.Status.WARNED
    assert facts["iic_fraud_verified"] is True and facts["iic_recognised"] is True
    assert "IIC-15" in {e["code"] for e in check(book, facts, AS_OF)["eligible"]}


def test_a_removed_centre_is_no_longer_recognised():
    org = OrganisationFactory()
    centre = IndustryInnovationCentre.objects.create(name="重庆市低空经济产业创新中心", lead_unit=org.name,
                                                     recognised_on=dt.date(2025, 3, 1), organisation=org)

    centre_evaluation_record(actor=officer("市发展改革委"), centre_id=centre.pk, year=2026, evaluator="某评估咨询公司",
                             result="fail", adjustment="remove")

    assert facts_from_register(org)["iic_recognised"] is False


def test_officers_of_other_bureaus_cannot_enter_assessments():
    institute = IndustryResearchInstitute.objects.create(name="某研究院", mode="enterprise_led", functions=["rd"],
                                                         recognised_on=dt.date(2025, 8, 1))
    centre = IndustryInnovationCentre.objects.create(
        name="重庆市低空经济产业创新中心", lead_unit="某公司", recognised_on=dt.date(2025, 3, 1),
        supervising_bureau=Bureau.objects.get(short_name_zh="渝北区发展改革委"),
    )
    complex_ = make_complex()

    with pytest.raises(NotAllowed):  # RIE-2 is 市经济信息委's alone
        institute_assessment_record(actor=officer("市科技局"), institute_id=institute.pk, year=2025, rating="good",
                                    incubated_future_enterprises=1, technical_services=1)
    with pytest.raises(NotAllowed):
        complex_assessment_record(actor=officer("市发展改革委"), complex_id=complex_.pk, year=2026, rating="good",
                                  operating_as_entity=True)
    with pytest.raises(NotAllowed):  # another district's 主管单位
        centre_annual_report_record(actor=officer("江北区发展改革委"), centre_id=centre.pk, year=2025, rating="good",
                                    summary="运行良好", submitted_on=dt.date(2025, 12, 20))
    with pytest.raises(NotAllowed):  # IIC-14 is 市发展改革委's, not the district's
        centre_evaluation_record(actor=officer("渝北区发展改革委"), centre_id=centre.pk, year=2025, evaluator="某公司",
                                 result="good", adjustment="retain")
    report = centre_annual_report_record(actor=officer("渝北区发展改革委"), centre_id=centre.pk, year=2025, rating="good",
                                         summary="运行良好", submitted_on=dt.date(2025, 12, 20))
    assert report.rating == "good"
    assert not InstituteAssessment.objects.exists() and not ComplexAssessment.objects.exists()


def test_the_assessment_page_and_api_refuse_officers_of_other_bureaus(client):
    institute = IndustryResearchInstitute.objects.create(name="某研究院", mode="enterprise_led", functions=["rd"],
                                                         recognised_on=dt.date(2025, 8, 1))
    client.force_login(officer("市科技局"))
    api = APIClient()
    api.force_authenticate(officer("市发展改革委"))
    body = {"year": 2025, "rating": "good", "incubated_future_enterprises": 1, "technical_services": 1}

    page = client.post(reverse("carriers:assess", args=["institutes", institute.pk]), {"what": "institute", **{
        f"institute-{k}": v for k, v in body.items()}})
    answer = api.post(f"/api/v1/carriers/institutes/{institute.pk}/assessments/", body, format="json")

    assert page.status_code == 403
    assert (answer.status_code, answer.json()["code"]) == (403, "not_responsible_bureau")
    assert not InstituteAssessment.objects.exists()


def test_the_responsible_officer_enters_an_assessment_on_the_page(client):
    institute = IndustryResearchInstitute.objects.create(name="某研究院", mode="enterprise_led", functions=["rd"],
                                                         recognised_on=dt.date(2025, 8, 1))
    client.force_login(officer("市经济信息委", username="jxw"))

    response = client.post(reverse("carriers:assess", args=["institutes", institute.pk]), {
        "what": "institute", "institute-year": "2025", "institute-rating": "excellent",
        "institute-incubated_future_enterprises": "4", "institute-technical_services": "300"}, follow=True)

    assessment = InstituteAssessment.objects.get()
    assert response.status_code == 200
    assert (assessment.rating, assessment.technical_services, assessment.assessed_by.username) == ("excellent", 300, "jxw")
    assert CarrierEvent.objects.get(kind="institute", action="assess").actor.username == "jxw"


# ---------------------------------------------------------------- the targets dashboard


@pytest.fixture
def known_register():
    """3 complexes by the end of 2025 and a fourth in 2026; 2025's figures; 2 institutes with two years' evaluations."""
    jxw = officer("市经济信息委")
    complexes = [make_complex(name=f"综合体{n}", recognised_on=day) for n, day in
                 enumerate([dt.date(2024, 11, 1), dt.date(2025, 4, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)])]
    for c, (revenue, rd, new, tasks, needs, cases) in zip(complexes, [(1000, 30, 260, 12, 40, 4), (1500, 20, 390, 18, 60, 6)]):
        complex_assessment_record(actor=jxw, complex_id=c.pk, year=2025, rating="good", operating_as_entity=True,
                                  revenue_yuan=revenue, rd_spend_yuan=rd, new_product_sales_yuan=new, key_tech_tasks=tasks,
                                  needs_solved=needs, typical_cases=cases)
    institutes = [IndustryResearchInstitute.objects.create(name=f"研究院{n}", mode="enterprise_led", functions=["rd"],
                                                           recognised_on=dt.date(2025, 8, 1)) for n in range(2)]
    for year, incubated, services in [(2025, (4, 6), (500, 700)), (2026, (10, 20), (1000, 1800))]:
        for institute, n, s in zip(institutes, incubated, services):
            institute_assessment_record(actor=jxw, institute_id=institute.pk, year=year, rating="good",
                                        incubated_future_enterprises=n, technical_services=s)


def figures(rows):
    return {(r["document"], r["key"], r["year"]): (r["actual"], r["met"]) for r in rows}


def test_the_dashboard_figures_come_from_the_register(known_register):
    got = figures(dashboard_rows())

    assert got[("PIC", "complexes", 2025)] == (3, False)  # ≥10
    assert got[("PIC", "complexes", 2027)] == (4, False)
    assert got[("PIC", "complexes", 2029)] == (4, False)
    assert got[("PIC", "rd_intensity", 2025)] == (2, False)  # 50 ÷ 2500 = 2%, and the target is 超2%
    assert got[("PIC", "new_product_share", 2025)] == (26, True)  # 650 ÷ 2500 = 26%, 达到26%
    assert got[("PIC", "key_tasks", 2025)] == (30, True)
    assert got[("PIC", "needs_solved", 2025)] == (100, True)
    assert got[("PIC", "typical_cases", 2025)] == (10, True)
    assert got[("PIC", "rd_intensity", 2027)] == (None, None)  # nobody has reported 2027 yet
    assert got[("RIE", "institutes", 2027)] == (2, False)
    assert got[("RIE", "incubated_per_year", 2027)] == (20, True)  # (10 + 30) ÷ 2 years
    assert got[("RIE", "technical_services", 2027)] == (4000, False)
    assert len(got) == 16


def test_the_targets_are_cited_to_their_articles():
    from catalogue.models import Article

    for row in dashboard_rows():
        article = Article.objects.get(document__code=row["document"], key=row["article"])
        assert row["quote"] in article.text, (row["key"], row["year"])


def test_the_exports_hold_the_same_figures(client, known_register):
    rows = dashboard_rows()

    xlsx = client.get(reverse("carriers:dashboard-export", args=["xlsx"]))
    raw_csv = client.get(reverse("carriers:dashboard-export", args=["csv"]))

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:4] == ("文件", "条款", "指标", "年份")
    assert [(r[0], r[3], r[5], r[6]) for r in table[1:]] == [(r["document"], r["year"], r["target"], r["actual"]) for r in rows]
    assert raw_csv.content.startswith("\ufeff".encode())
    assert raw_csv["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(raw_csv.content.decode("utf-8-sig"))))
    assert lines[0] == [str(c) for c in table[0]]
    assert [line[:7] for line in lines[1:]] == [["" if c is None else str(c) for c in r[:7]] for r in table[1:]]
    assert lines[1][2] == "建成综合体数量"


def test_the_public_pages_and_api_need_no_login(client, known_register):
    complex_ = InnovationComplex.objects.first()
    api = APIClient()

    pages = [reverse("carriers:home"), reverse("carriers:dashboard"),
             reverse("carriers:entry", args=["complexes", complex_.pk])] + [
        reverse("carriers:register", args=[slug]) for slug in ("institutes", "complexes", "incubators", "centres")]
    answers = [api.get(f"/api/v1/carriers/{slug}/") for slug in ("institutes", "complexes", "incubators", "centres")]

    for url in pages:
        assert client.get(url).status_code == 200, url
    assert all(a.status_code == 200 for a in answers)
    assert answers[1].json()["count"] == 4
    dashboard = api.get("/api/v1/carriers/dashboard/").json()
    assert {"key": "complexes", "year": 2025, "actual": 3} == {k: dashboard[0][k] for k in ("key", "year", "actual")}
    listing = client.get(reverse("carriers:register", args=["complexes"]), {"q": "综合体1"})
    assert "综合体1" in listing.content.decode() and "综合体2" not in listing.content.decode()


def test_the_register_lists_paginate(client):
    for n in range(25):
        IndustryResearchInstitute.objects.create(name=f"研究院{n:02d}", mode="enterprise_led", functions=["rd"],
                                                 recognised_on=dt.date(2025, 8, 1))

    first = client.get(reverse("carriers:register", args=["institutes"]))
    second = client.get(reverse("carriers:register", args=["institutes"]), {"page": 2})

    entries = re.compile(r'href="/carriers/institutes/\d+/"')
    assert len(entries.findall(first.content.decode())) == 20
    assert len(entries.findall(second.content.decode())) == 5


# ---------------------------------------------------------------- IIC scoring through the services and the API


def full_marks():
    from carriers.selectors import indicator_table

    table = indicator_table()
    return {i.key: i.weight for i in table.indicators}, {i.key: i.weight for i in table.bonus_items}


def test_officers_score_an_iic_application_and_the_ranking_follows_the_totals(django_capture_on_commit_callbacks):
    _user, first = iic_application(django_capture_on_commit_callbacks, plan=False)
    user2 = applicant(organisation=OrganisationFactory(district="渝北区"))
    facts = {**IIC_FACTS, "iic_proposed_name": "重庆市低空经济产业创新中心"}
    second = submit(user2, iic_parts_complete(user2, apply(user2, "IIC-12", facts)), django_capture_on_commit_callbacks)
    district = officer("渝北区发展改革委")
    scores, bonus = full_marks()

    top = iic_score_sheet_save(actor=district, application_id=first.pk, scores=scores, bonus=bonus)
    lower = iic_score_sheet_save(actor=district, application_id=second.pk, scores=scores | {"pilot_line": 3})
    api = APIClient()
    api.force_authenticate(district)
    ranking = api.get("/api/v1/carriers/iic/ranking/").json()

    assert (top.total, top.base_total, top.bonus_total) == (110, 100, 10)
    assert lower.total == 98
    assert [(r["position"], r["name"], r["total"]) for r in ranking] == [
        (1, "重庆市具身智能产业创新中心", 110.0), (2, "重庆市低空经济产业创新中心", 98.0)]


def test_the_scoring_api_refuses_an_overweight_indicator_naming_it(django_capture_on_commit_callbacks):
    _user, app = iic_application(django_capture_on_commit_callbacks, plan=False)
    scores, bonus = full_marks()
    api = APIClient()
    api.force_authenticate(officer("渝北区发展改革委"))

    refused = api.post(f"/api/v1/carriers/iic/applications/{app.pk}/score-sheet/",
                       {"scores": scores | {"equity_investment": 6}}, format="json")
    calculator = APIClient().post("/api/v1/carriers/iic/scoring/", {"scores": scores, "bonus": bonus}, format="json")

    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["field"]) == ("above_weight", "scores.equity_investment")
    assert "股权投资额" in refused.json()["message"]
    assert calculator.status_code == 200
    assert calculator.json()["total"] == 110
    assert calculator.json()["by_second_level"]["platform"] == 14


def test_only_the_handling_bureaus_score_an_iic_application(django_capture_on_commit_callbacks):
    _user, app = iic_application(django_capture_on_commit_callbacks, plan=False)
    scores, _bonus = full_marks()

    with pytest.raises(NotAllowed):
        iic_score_sheet_save(actor=officer("江北区发展改革委"), application_id=app.pk, scores=scores)
    with pytest.raises(NotAllowed):
        iic_score_sheet_save(actor=officer("市经济信息委"), application_id=app.pk, scores=scores)
    assert iic_score_sheet_save(actor=officer("市发展改革委"), application_id=app.pk, scores=scores).total == 100


def test_the_scoring_page_refuses_an_overweight_score_naming_the_indicator(client, django_capture_on_commit_callbacks):
    _user, app = iic_application(django_capture_on_commit_callbacks, plan=False)
    scores, _bonus = full_marks()
    client.force_login(officer("渝北区发展改革委"))
    form = {f"score_{k}": v for k, v in scores.items()} | {"score_rd_projects": "7"}

    response = client.post(reverse("carriers:iic-scoring-form", args=[app.pk]), form)

    assert response.status_code == 200
    assert "近3年立项科技研发类项目数" in response.content.decode()
    assert 'href="#scores-rd_projects"' in response.content.decode()
    assert not app.iic_score_sheets.exists()


def test_all_four_registers_are_on_the_dashboard_with_their_assessments(client):
    from carriers.models import IncubationCarrier, IncubatorAssessment, IndustryInnovationCentre

    jxw = officer("市经济信息委")
    make_complex(name="综合体甲", recognised_on=dt.date(2025, 3, 1))
    incubator = IncubationCarrier.objects.create(name="某孵化器", kind="accelerator", level="municipal",
                                                 recognised_on=dt.date(2025, 3, 1))
    IncubationCarrier.objects.create(name="未认定孵化器", kind="community")
    IndustryInnovationCentre.objects.create(name="重庆市低空经济产业创新中心", lead_unit="某公司", recognised_on=dt.date(2025, 5, 1))
    this_year = timezone.localdate().year
    IncubatorAssessment.objects.create(carrier=incubator, year=this_year, rating="good", assessed_by=jxw,
                                       conversion_rate=12, survival_rate=80, incubated_valuation_yuan=10**8)
    IncubatorAssessment.objects.create(carrier=incubator, year=this_year - 1, rating="pass", assessed_by=jxw,
                                       conversion_rate=10, survival_rate=70, incubated_valuation_yuan=10**7)

    page = client.get(reverse("carriers:dashboard"))

    rows = {r["slug"]: (r["recognised"], r["assessed"]) for r in page.context["overview"]}
    assert rows == {"institutes": (0, 0), "complexes": (1, 0), "incubators": (1, 1), "centres": (1, 0)}
    assert page.content.decode().count("data-register=") == 4
