"""IIC-13 and IIC-16 reminders: due dates on the official calendar, who is told and when."""
import datetime as dt

import pytest
from django.core import mail

from carriers.models import IndustryInnovationCentre
from carriers.services import annual_report_reminders_send, centre_change_register, change_report_reminders_send
from catalogue.models import Bureau
from tests.factories import officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    officer("渝北区发展改革委")
    return IndustryInnovationCentre.objects.create(
        name="重庆市低空经济产业创新中心", lead_unit="重庆未来智造科技有限公司", recognised_on=dt.date(2025, 3, 1),
        supervising_bureau=Bureau.objects.get(short_name_zh="渝北区发展改革委"),
    )


def test_a_change_is_due_thirty_working_days_after_registration(centre):
    change = centre_change_register(centre=centre, kind="rename", registered_on=dt.date(2026, 8, 3))

    assert change.due_on == dt.date(2026, 9, 14)
    assert not change.due_provisional


def test_the_supervising_bureau_is_reminded_once_before_the_due_date_and_once_when_overdue(centre):
    change = centre_change_register(centre=centre, kind="rename", registered_on=dt.date(2026, 8, 3))

    assert change_report_reminders_send(today=dt.date(2026, 8, 20)) == 0
    assert change_report_reminders_send(today=dt.date(2026, 9, 8)) == 1
    assert change_report_reminders_send(today=dt.date(2026, 9, 9)) == 0
    assert change_report_reminders_send(today=dt.date(2026, 9, 15)) == 1
    assert change_report_reminders_send(today=dt.date(2026, 9, 16)) == 0
    assert "重庆市低空经济产业创新中心" in mail.outbox[0].subject
    assert mail.outbox[0].to == [mail.outbox[1].to[0]]


def test_a_reported_change_is_not_reminded(centre):
    change = centre_change_register(centre=centre, kind="restructuring", registered_on=dt.date(2026, 8, 3))
    change.reported_on = dt.date(2026, 8, 10)
    change.save()

    assert change_report_reminders_send(today=dt.date(2026, 9, 15)) == 0


def test_annual_reports_are_reminded_weekly_in_december_until_submitted(centre):
    assert annual_report_reminders_send(today=dt.date(2026, 11, 30)) == 0
    assert annual_report_reminders_send(today=dt.date(2026, 12, 1)) == 1
    assert annual_report_reminders_send(today=dt.date(2026, 12, 3)) == 0
    assert annual_report_reminders_send(today=dt.date(2026, 12, 8)) == 1

    centre.annual_reports.filter(year=2026).update(submitted_on=dt.date(2026, 12, 9))

    assert annual_report_reminders_send(today=dt.date(2026, 12, 15)) == 0
