"""Carrier services: IIC change registration and the IIC-13 / IIC-16 reminders."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from accounts.models import Role
from policy_portal.workdays import is_working_day

from ..models import CentreAnnualReport, CentreChange, IndustryInnovationCentre
from .changes import change_deadline

REMIND_BEFORE_WORKING_DAYS = 5
ANNUAL_REMINDERS_FROM = (12, 1)  # IIC-13: 每年年底前 — remind through December
ANNUAL_REMIND_EVERY_DAYS = 7


@transaction.atomic
def centre_change_register(*, centre: IndustryInnovationCentre, kind: str, registered_on: dt.date) -> CentreChange:
    deadline = change_deadline(registered_on)
    return CentreChange.objects.create(
        centre=centre, kind=kind, registered_on=registered_on, due_on=deadline.due_on, due_provisional=deadline.provisional
    )


def _working_days_between(start: dt.date, end: dt.date) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day)[0]:
            count += 1
    return count


def _officer_emails(bureau) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, profile__role=Role.OFFICER, profile__bureau=bureau).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(bureau, subject: str, body: str) -> int:
    emails = _officer_emails(bureau) if bureau else []
    if emails:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
    return len(emails)


@transaction.atomic
def change_report_reminders_send(*, today: dt.date) -> int:
    """IIC-16: remind the 主管单位 five working days before the due date, and again once overdue."""
    sent = 0
    pending = CentreChange.objects.filter(reported_on__isnull=True).select_related("centre", "centre__supervising_bureau")
    for change in pending.select_for_update(of=("self",)):
        overdue = today > change.due_on
        soon = not overdue and _working_days_between(today, change.due_on) <= REMIND_BEFORE_WORKING_DAYS
        already = change.last_reminded_on is not None and (not overdue or change.last_reminded_on > change.due_on)
        if not (overdue or soon) or already:
            continue
        note = "（期限含尚未公布的节假日安排，可能调整）" if change.due_provisional else ""
        state = "已逾期" if overdue else "即将到期"
        sent += _send(
            change.centre.supervising_bureau,
            f"[IIC-16] {change.centre.name} {change.get_kind_display()}报送{state}",
            f"{change.centre.name}于{change.registered_on}办理{change.get_kind_display()}变更登记，"
            f"应在30个工作日内（{change.due_on}前）由主管单位报送市发展改革委确认。{note}",
        )
        change.last_reminded_on = today
        change.save(update_fields=["last_reminded_on"])
    return sent


@transaction.atomic
def annual_report_reminders_send(*, today: dt.date) -> int:
    """IIC-13: in December, remind each centre's 主管单位 weekly until this year's report is submitted."""
    if (today.month, today.day) < ANNUAL_REMINDERS_FROM:
        return 0
    sent = 0
    centres = (
        IndustryInnovationCentre.objects.filter(recognised_on__isnull=False)
        .exclude(status=IndustryInnovationCentre.Status.EXITED)
        .select_related("supervising_bureau")
    )
    for centre in centres:
        report, _ = CentreAnnualReport.objects.select_for_update().get_or_create(centre=centre, year=today.year)
        if report.submitted_on or (report.last_reminded_on and (today - report.last_reminded_on).days < ANNUAL_REMIND_EVERY_DAYS):
            continue
        sent += _send(
            centre.supervising_bureau,
            f"[IIC-13] {centre.name} {today.year}年度运行情况待报送",
            f"请于{today.year}年12月31日前向市发展改革委报送{centre.name}建设运行情况（第十三条）。",
        )
        report.last_reminded_on = today
        report.save(update_fields=["last_reminded_on"])
    return sent
