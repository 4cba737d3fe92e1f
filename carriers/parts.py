"""IIC-12 as one procedure (第十条–第十二条): the 组建方案 following 附件1 and the applicant's 附件2 evaluation form are
parts of the application, registered with subsidies.hooks so the workflow refuses to submit an application that
lacks one (naming what is missing) and the application page shows both to the applicant and to each stage of
reviewers (the district 主管单位, then 市发展改革委). 第十条 (the lead unit) and 第十一条 (the four basic requirements)
are what the application states, not applications of their own."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, role_of
from policy_portal.messages import Message
from subsidies.hooks import Part

from .models import IIC_PLAN_OUTLINE, IICEstablishmentPlan, IICSelfAssessment
from .services.packages import plan_missing

PLAN_LABELS = {key: label for _section, items in IIC_PLAN_OUTLINE for key, label in items}  # 附件1 as printed
PLAN_TITLE = _("Establishment plan (附件1)")
SELF_ASSESSMENT_TITLE = _("Self-assessment on the evaluation form (附件2)")


def is_owner(user, app) -> bool:
    organisation = organisation_of(user) if user is not None else None
    return organisation is not None and organisation.pk == app.organisation_id


def is_reviewer(user, app) -> bool:
    """An officer of either stage (the district 主管单位 or 市发展改革委), or an administrator."""
    if user is None:
        return False
    if role_of(user) == Role.ADMIN:
        return True
    bureau = bureau_of(user)
    return bureau is not None and bureau.pk in (app.district_bureau_id, app.bureau_id)


def iic12_parts(user, app) -> list[Part]:
    plan = IICEstablishmentPlan.objects.filter(application=app).prefetch_related("supporting_documents").first()
    missing = plan_missing(plan)
    sheet = IICSelfAssessment.objects.filter(application=app).first()
    owner, reviewer = is_owner(user, app), is_reviewer(user, app)
    review_url = reverse("carriers:iic-parts", args=[app.pk]) if reviewer else ""
    return [
        Part("iic_plan", PLAN_TITLE, complete=not missing,
             missing=Message("iic_part_plan", items=[PLAN_LABELS.get(m, m) for m in missing]) if missing else "",
             url=reverse("carriers:recognition-details", args=[app.pk]) if owner else review_url,
             summary=_("complete") if not missing else ""),
        Part("iic_self_assessment", SELF_ASSESSMENT_TITLE, complete=sheet is not None,
             missing=Message("iic_part_self_assessment") if sheet is None else "",
             url=reverse("carriers:iic-self-assessment", args=[app.pk]) if owner else review_url,
             summary=Message("iic_part_total", total=str(sheet.total).rstrip("0").rstrip(".")) if sheet else ""),
    ]
