"""The registers' dynamic management: each entry has a status (active, warned, exited) and events that move it.

RIE 三（三） and INC 三（二） "动态运行管理机制", PIC 二（二） "动态管理、容错和退出机制", IIC 第十四条 "动态调整" and
第十五条 "调整".
"""
import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from carriers.dashboard import dashboard_rows
from carriers.facts import facts_from_register
from carriers.loading import carriers_load
from carriers.models import CarrierEvent, IncubationCarrier, IndustryInnovationCentre, IndustryResearchInstitute
from carriers.services import (
    centre_evaluation_record,
    complex_assessment_record,
    incubator_assessment_record,
    register_status_change,
)
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from tests.factories import OrganisationFactory, UserFactory, applicant, officer
from tests.integration.test_carriers import make_complex

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def carriers_data(db):
    carriers_load()


def institute(org=None):
    return IndustryResearchInstitute.objects.create(name="重庆大学先进制造研究院", mode="academic_led", functions=["rd"],
                                                    recognised_on=dt.date(2025, 8, 1), organisation=org)


def test_an_entry_starts_active_and_an_officer_warns_restores_and_exits_it_with_reasons():
    entry = institute()
    jxw = officer("市经济信息委")

    register_status_change(actor=jxw, slug="institutes", carrier_id=entry.pk, action="warn", reason="年度评估发现问题")
    entry.refresh_from_db()
    assert entry.status == "warned"
    register_status_change(actor=jxw, slug="institutes", carrier_id=entry.pk, action="restore", reason="整改完成")
    register_status_change(actor=jxw, slug="institutes", carrier_id=entry.pk, action="exit", reason="主动申请退出")

    entry.refresh_from_db()
    events = CarrierEvent.objects.filter(kind="institute", object_id=entry.pk, action="status").order_by("pk")
    assert entry.status == "exited" and entry.status_changed_on is not None
    assert [(e.data["from"], e.data["to"], e.data["cause"]) for e in events] == [
        ("active", "warned", "warn"), ("warned", "active", "restore"), ("active", "exited", "exit")]
    assert events.last().data["reason"] == "主动申请退出" and events.last().bureau.short_name_zh == "市经济信息委"


def test_moves_the_status_does_not_allow_are_refused_naming_the_state():
    entry = institute()
    jxw = officer("市经济信息委")

    with pytest.raises(Conflict) as restoring:
        register_status_change(actor=jxw, slug="institutes", carrier_id=entry.pk, action="restore", reason="—")
    register_status_change(actor=jxw, slug="institutes", carrier_id=entry.pk, action="exit", reason="撤销")
    with pytest.raises(Conflict) as again:
        register_status_change(actor=jxw, slug="institutes", carrier_id=entry.pk, action="warn", reason="—")
    with pytest.raises(DomainError) as no_reason:
        register_status_change(actor=jxw, slug="complexes", carrier_id=make_complex().pk, action="warn", reason=" ")

    assert restoring.value.code == again.value.code == "status_transition_not_allowed"
    assert restoring.value.field == "action"
    assert (no_reason.value.code, no_reason.value.field) == ("reason_required", "reason")


def test_only_the_bureaus_that_assess_the_register_move_its_entries():
    entry = institute()

    with pytest.raises(NotAllowed) as err:
        register_status_change(actor=officer("市科技局"), slug="institutes", carrier_id=entry.pk, action="warn", reason="x")
    with pytest.raises(NotAllowed):
        register_status_change(actor=applicant(), slug="institutes", carrier_id=entry.pk, action="warn", reason="x")

    assert err.value.code == "not_responsible_bureau"
    entry.refresh_from_db()
    assert entry.status == "active"


def test_a_year_rated_fail_warns_a_complex_or_an_incubator_but_does_not_exit_it():
    complex_ = make_complex()
    carrier = IncubationCarrier.objects.create(name="两江新区特色孵化器", kind="specialised_incubator", level="municipal",
                                               recognised_on=dt.date(2025, 9, 1))

    complex_assessment_record(actor=officer("市科技局"), complex_id=complex_.pk, year=2026, rating="fail",
                              operating_as_entity=True)
    incubator_assessment_record(actor=officer("市经济信息委"), carrier_id=carrier.pk, year=2025, conversion_rate="10",
                                survival_rate="20", incubated_valuation_yuan=0, rating="fail")

    complex_.refresh_from_db()
    carrier.refresh_from_db()
    assert (complex_.status, carrier.status) == ("warned", "warned")
    event = CarrierEvent.objects.get(kind="complex", action="status")
    assert (event.data["cause"], event.data["clause"], event.data["year"]) == ("assessment", "PIC-4", 2026)


def test_a_centres_evaluation_adjustment_sets_its_status_and_exited_centres_leave_the_facts():
    org = OrganisationFactory()
    centre = IndustryInnovationCentre.objects.create(name="重庆市低空经济产业创新中心", lead_unit=org.name,
                                                     recognised_on=dt.date(2025, 3, 1), organisation=org)
    fgw = officer("市发展改革委")

    centre_evaluation_record(actor=fgw, centre_id=centre.pk, year=2025, evaluator="某评估咨询公司", result="pass",
                             adjustment="rectify")
    centre.refresh_from_db()
    assert centre.status == "warned"
    centre_evaluation_record(actor=fgw, centre_id=centre.pk, year=2026, evaluator="某评估咨询公司", result="fail",
                             adjustment="remove")

    centre.refresh_from_db()
    assert centre.status == "exited"
    assert facts_from_register(org)["iic_recognised"] is False
    causes = list(CarrierEvent.objects.filter(kind="centre", action="status").values_list("data__cause", flat=True))
    assert causes == ["evaluation", "evaluation"]


def test_an_exited_institute_gives_no_facts_and_leaves_the_targets_count():
    org = OrganisationFactory(org_type="industry_research_institute")
    entry = institute(org)
    count_before = _institutes_counted(2026)

    register_status_change(actor=officer("市经济信息委"), slug="institutes", carrier_id=entry.pk, action="exit",
                           reason="撤销")

    assert "rie_mode" not in facts_from_register(org) or facts_from_register(org).get("rie_mode") is None
    assert _institutes_counted(2026) == count_before - 1


def _institutes_counted(year: int):
    from carriers.dashboard import _count_recognised

    return _count_recognised(IndustryResearchInstitute, year)


def test_the_api_shows_the_status_and_lets_the_responsible_officer_move_it():
    entry = institute()
    public = APIClient()
    jxw = APIClient()
    jxw.force_authenticate(officer("市经济信息委"))
    kjj = APIClient()
    kjj.force_authenticate(officer("市科技局"))

    anonymous = public.post(f"/api/v1/carriers/institutes/{entry.pk}/status/", {"action": "warn", "reason": "x"},
                            format="json")
    refused = kjj.post(f"/api/v1/carriers/institutes/{entry.pk}/status/", {"action": "warn", "reason": "x"}, format="json")
    moved = jxw.post(f"/api/v1/carriers/institutes/{entry.pk}/status/", {"action": "warn", "reason": "评估不合格"},
                     format="json")
    shown = public.get(f"/api/v1/carriers/institutes/{entry.pk}/").json()
    history = public.get(f"/api/v1/carriers/institutes/{entry.pk}/status/").json()

    assert anonymous.status_code in (401, 403)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_responsible_bureau")
    assert moved.status_code == 200 and moved.json()["status"] == "warned"
    assert shown["status"] == "warned"
    assert [(h["from_status"], h["to_status"], h["cause"]) for h in history["history"]] == [("active", "warned", "warn")]
    assert "reason" not in history["history"][0]


def test_the_entry_page_shows_the_status_and_offers_the_responsible_officer_its_moves():
    entry = institute()
    url = f"/carriers/institutes/{entry.pk}/"
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(officer("市经济信息委"))
    visitor = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")

    offered = page.get(url).content.decode()
    page.post(f"{url}status/", {"action": "warn", "reason": "年度评估不合格，限期整改"})
    after = page.get(url).content.decode()
    public = visitor.get(url).content.decode()
    listing = visitor.get("/carriers/institutes/").content.decode()

    assert 'value="warn"' in offered and 'value="restore"' not in offered
    assert 'data-status="warned"' in after and 'value="restore"' in after and "年度评估不合格" in after
    assert 'data-status="warned"' in public and "年度评估不合格" not in public and 'name="action"' not in public
    assert 'data-status="warned"' in listing
