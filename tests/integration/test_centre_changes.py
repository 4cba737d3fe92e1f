"""IIC-16: a centre's major change is declared, reported by its 主管单位 within 30 working days on the holiday
calendar, and confirmed by 市发展改革委; its state is pending, overdue, reported (late) or confirmed.

第十六条 "应在办理变更登记等相关手续后的 30 个工作日内，由主管单位将有关情况报送市发展改革委确认".
"""
import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from carriers.loading import carriers_load
from carriers.models import CarrierEvent, CentreChange, IndustryInnovationCentre
from carriers.services import centre_change_confirm, centre_change_declare, centre_change_report
from catalogue.models import Bureau
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from tests.factories import OrganisationFactory, applicant, officer

pytestmark = pytest.mark.django_db
REGISTERED = dt.date(2026, 8, 3)
DUE = dt.date(2026, 9, 14)  # 30 working days on the official calendar (tests/unit/test_workdays.py)


@pytest.fixture(autouse=True)
def carriers_data(db):
    carriers_load()


@pytest.fixture
def centre():
    org = OrganisationFactory()
    return IndustryInnovationCentre.objects.create(
        name="重庆市低空经济产业创新中心", lead_unit=org.name, recognised_on=dt.date(2025, 3, 1), organisation=org,
        supervising_bureau=Bureau.objects.get(short_name_zh="渝北区发展改革委"),
    )


def test_the_centre_declares_the_district_reports_and_the_commission_confirms(centre):
    member = applicant(organisation=centre.organisation)

    change = centre_change_declare(actor=member, centre_id=centre.pk, kind="rename", registered_on=REGISTERED,
                                   description="更名为重庆市低空智能产业创新中心", today=dt.date(2026, 8, 10))
    assert (change.due_on, change.due_provisional, change.state(dt.date(2026, 9, 14))) == (DUE, False, "pending")
    assert change.state(dt.date(2026, 9, 15)) == "overdue"
    centre_change_report(actor=officer("渝北区发展改革委"), change_id=change.pk, today=dt.date(2026, 9, 14))
    change.refresh_from_db()
    assert change.state(dt.date(2026, 12, 1)) == "reported"
    centre_change_confirm(actor=officer("市发展改革委"), change_id=change.pk, today=dt.date(2026, 9, 20))

    change.refresh_from_db()
    assert change.state(dt.date(2026, 12, 1)) == "confirmed"
    assert list(CarrierEvent.objects.filter(kind="centre", object_id=centre.pk).order_by("pk")
                .values_list("action", flat=True)) == ["change_declared", "change_reported", "change_confirmed"]


def test_a_report_after_the_due_day_is_reported_late(centre):
    change = centre_change_declare(actor=officer("渝北区发展改革委"), centre_id=centre.pk, kind="lead_unit_change",
                                   registered_on=REGISTERED, today=REGISTERED)

    centre_change_report(actor=officer("渝北区发展改革委"), change_id=change.pk, today=DUE + dt.timedelta(days=1))

    change.refresh_from_db()
    assert change.state(dt.date(2026, 12, 1)) == "reported_late"


def test_who_may_declare_report_and_confirm(centre):
    change = centre_change_declare(actor=applicant(organisation=centre.organisation), centre_id=centre.pk, kind="rename",
                                   registered_on=REGISTERED, today=REGISTERED)

    with pytest.raises(NotAllowed) as stranger:
        centre_change_declare(actor=applicant(), centre_id=centre.pk, kind="rename", registered_on=REGISTERED,
                              today=REGISTERED)
    with pytest.raises(NotAllowed) as other_district:
        centre_change_report(actor=officer("江北区发展改革委"), change_id=change.pk, today=REGISTERED)
    with pytest.raises(Conflict) as unreported:
        centre_change_confirm(actor=officer("市发展改革委"), change_id=change.pk, today=REGISTERED)
    with pytest.raises(NotAllowed) as district_confirms:
        centre_change_confirm(actor=officer("渝北区发展改革委"), change_id=change.pk, today=REGISTERED)

    assert stranger.value.code == "not_centre_or_supervisor"
    assert other_district.value.code == "not_supervising_bureau"
    assert unreported.value.code == "change_not_reported"
    assert district_confirms.value.code == "not_responsible_bureau"


def test_a_change_in_the_future_or_before_recognition_is_refused_and_a_repeat_is_one_declaration(centre):
    member = applicant(organisation=centre.organisation)

    with pytest.raises(DomainError) as future:
        centre_change_declare(actor=member, centre_id=centre.pk, kind="rename", registered_on=dt.date(2026, 8, 4),
                              today=dt.date(2026, 8, 3))
    with pytest.raises(DomainError) as before:
        centre_change_declare(actor=member, centre_id=centre.pk, kind="rename", registered_on=dt.date(2025, 1, 1),
                              today=dt.date(2026, 8, 3))
    first = centre_change_declare(actor=member, centre_id=centre.pk, kind="bankruptcy", registered_on=REGISTERED,
                                  today=REGISTERED)
    again = centre_change_declare(actor=member, centre_id=centre.pk, kind="bankruptcy", registered_on=REGISTERED,
                                  today=REGISTERED)

    assert (future.value.code, future.value.field) == ("change_in_future", "registered_on")
    assert (before.value.code, before.value.field) == ("change_before_recognition", "registered_on")
    assert first.pk == again.pk and CentreChange.objects.count() == 1


def test_a_due_day_through_an_unpublished_year_is_provisional(centre):
    change = centre_change_declare(actor=officer("渝北区发展改革委"), centre_id=centre.pk, kind="restructuring",
                                   registered_on=dt.date(2026, 12, 15), today=dt.date(2026, 12, 16))

    assert change.due_provisional


def test_the_api_lists_states_and_reports_for_the_district(centre):
    change = centre_change_declare(actor=applicant(organisation=centre.organisation), centre_id=centre.pk,
                                   kind="rename", registered_on=dt.date(2025, 6, 3), today=dt.date(2025, 6, 3))
    district = APIClient()
    district.force_authenticate(officer("渝北区发展改革委"))
    other = APIClient()
    other.force_authenticate(officer("江北区发展改革委"))
    member = APIClient()
    member.force_authenticate(applicant(organisation=centre.organisation))

    overdue = district.get("/api/v1/carriers/centre-changes/", {"state": "overdue"}).json()
    unseen = other.get("/api/v1/carriers/centre-changes/").json()
    hidden = other.post(f"/api/v1/carriers/centre-changes/{change.pk}/report/")
    reported = district.post(f"/api/v1/carriers/centre-changes/{change.pk}/report/")
    twice = district.post(f"/api/v1/carriers/centre-changes/{change.pk}/report/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    declared = member.post("/api/v1/carriers/centre-changes/", {"centre": centre.pk, "kind": "lead_unit_change",
                                                                "registered_on": "2025-07-01"}, format="json")

    assert [(c["centre"], c["state"], c["allowed_actions"]) for c in overdue["results"]] == [
        ("重庆市低空经济产业创新中心", "overdue", ["report"])]
    assert unseen["results"] == [] and hidden.status_code == 404
    assert reported.status_code == 200 and reported.json()["state"] == "reported_late"
    assert (twice.status_code, twice.json()["code"]) == (409, "change_already_reported")
    assert "已于" in twice.json()["message"]
    assert declared.status_code == 201 and declared.json()["due_on"] == "2025-08-12"


def test_the_page_lets_the_centre_declare_and_the_district_report(centre):
    member = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    member.force_login(applicant(organisation=centre.organisation))
    district = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    district.force_login(officer("渝北区发展改革委"))

    page = member.get("/carriers/iic/changes/").content.decode()
    member.post("/carriers/iic/changes/", {"action": "declare", "centre": centre.pk, "kind": "rename",
                                           "registered_on": "2025-06-03", "description": "更名"})
    bad = member.post("/carriers/iic/changes/", {"action": "declare", "centre": centre.pk, "kind": "rename",
                                                 "registered_on": "not a date"}).content.decode()
    listed = district.get("/carriers/iic/changes/").content.decode()
    change = CentreChange.objects.get()
    district.post("/carriers/iic/changes/", {"action": "report", "change": change.pk})
    after = district.get("/carriers/iic/changes/").content.decode()

    assert 'id="declare-change"' in page
    assert "registered_on" not in bad or "日期" in bad
    assert 'data-state="overdue"' in listed and "逾期未报送" in listed and 'value="report"' in listed
    assert 'data-state="reported_late"' in after and 'value="report"' not in after


def test_an_unknown_centre_is_refused_naming_the_field():
    with pytest.raises(DomainError) as err:
        centre_change_declare(actor=applicant(), centre_id=999_999, kind="rename", registered_on=REGISTERED,
                              today=REGISTERED)

    assert (err.value.code, err.value.field) == ("invalid_choice", "centre")
