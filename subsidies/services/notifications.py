"""Email notifications when an application is routed, decided or returned (console backend by default)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from accounts.models import Role

from ..models import Application
from ..workflow import acting_bureau_id

SUBJECTS = {
    "routed": ("新的申请待审核", "New application to review"),
    "recommend": ("区县推荐的申请待决定", "Application recommended by the district, to decide"),
    "reassign": ("转办的申请待审核", "Application reassigned to your bureau"),
    "resubmit": ("申请已重新提交", "Application resubmitted"),
    "approve": ("您的申请已获批准", "Your application was approved"),
    "reject": ("您的申请未获支持", "Your application was rejected"),
    "return": ("您的申请被退回修改", "Your application was returned for changes"),
}
TO_OFFICERS = {"routed", "recommend", "reassign", "resubmit"}


def application_notify(*, application_id: int, kind: str) -> int:
    """Send the notification of `kind`; returns how many recipients it went to."""
    app = Application.objects.select_related("clause", "organisation", "bureau", "district_bureau").get(pk=application_id)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if kind in TO_OFFICERS:
        recipients = users.filter(profile__role=Role.OFFICER, profile__bureau_id=acting_bureau_id(app))
    else:
        recipients = users.filter(profile__role=Role.APPLICANT, profile__organisation=app.organisation)
    emails = sorted(set(recipients.values_list("email", flat=True)))
    if not emails:
        return 0
    zh, en = SUBJECTS[kind]
    last = app.events.order_by("-created_at", "-pk").first()
    body = (
        f"{zh} / {en}\n\n"
        f"{app.reference} · {app.clause.code} {app.clause.title_zh}\n"
        f"{app.organisation.name}\n"
        f"状态 Status: {app.get_status_display()}\n"
        + (f"理由 Reason: {last.reason}\n" if last and last.reason else "")
        + (f"批准金额 Approved: {app.amount_approved_yuan} 元\n" if kind == "approve" and app.amount_approved_yuan else "")
    )
    send_mail(f"[{app.reference}] {zh} / {en}", body, settings.DEFAULT_FROM_EMAIL, emails)
    return len(emails)
