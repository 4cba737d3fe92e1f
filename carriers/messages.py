"""What the registers' refusals say: codes → English msgids, translated in carriers/locale.

Registered with policy_portal.messages from CarriersConfig.ready().
"""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # recognition: what a register requires of an entry
    "recognition_fact_missing": _("%(clause)s: the application does not state “%(fact)s”."),
    "rie_functions": _("State the institute's functions (RIE 一（二）)."),
    "name_required": _("Give the complex's name in the recognition details."),
    "pic_governance": _("PIC-2 requires a council (理事会), an expert committee (专家委员会), a secretariat (秘书处) and a "
                        "legally binding charter or agreement; missing: %(missing)s."),
    "charter_date_required": _("PIC-2: give the date the charter or agreement was signed."),
    "iic_name": _("The name must read 重庆市××产业创新中心."),
    "iic_requirements": _("IIC 第十一条's basic requirements are not all met; missing: %(missing)s."),
    "iic_part_plan": _("the establishment plan (附件1), which lacks %(items)s"),
    "iic_part_self_assessment": _("the self-assessment on the evaluation form (附件2)"),
    "iic_part_total": _("%(total)s of 110 points"),
    "iic_plan_incomplete": _("The establishment plan (附件1) lacks: %(missing)s."),
    "name_taken": _("The register already holds an entry named %(name)s."),
    "not_approved": _("Only an approved application creates a register entry."),
    # recognition details and the establishment plan
    "unknown_attachment": _("Choose one of this application's attachments."),
    "unknown_section": _("附件1 has no sub-item %(section)s."),
    "expected_members": _("a list of at most %(limit)s member units, each with a name and a role"),
    "expected_member": _("a member unit with a name and a role"),
    "expected_attachments": _("a list of this application's attachments"),
    # assessments
    "not_responsible_bureau": _("Only officers of the bureaus responsible under %(clause)s can enter this."),
    "before_recognition": _("Recognised in %(year)s: assess that year or later."),
    "above_revenue": _("Cannot exceed the year's revenue."),
    "adjustment_required": _("A centre found to have committed fraud is adjusted: rectification or removal (第十五条)."),
    "expected_count": _("a whole number, 0 or more"),
    # dynamic management of the registers
    # IIC-16 change reports
    "not_centre_or_supervisor": _("Only the centre's lead organisation or its supervising authority (主管单位) can declare "
                                  "its changes."),
    "not_supervising_bureau": _("Only the centre's supervising authority (主管单位) reports its changes (第十六条)."),
    "change_in_future": _("The change registration cannot be completed after today."),
    "change_before_recognition": _("The centre was recognised on %(day)s: a change registered before that is not "
                                   "the centre's."),
    "change_already_reported": _("This change was reported on %(day)s."),
    "change_not_reported": _("The supervising authority (主管单位) has not reported this change yet."),
    "change_already_confirmed": _("This change was confirmed on %(day)s."),
    "status_transition_not_allowed": _("%(action)s is not possible: the entry is %(status)s."),
    # 附件2 scores
    "expected_score": _("a score from 0 to %(weight)s"),
    "below_zero": _("%(name)s: scores start at 0."),
    "above_weight": _("%(name)s: the score is above its weight of %(weight)s."),
    "unknown_indicator": _("附件2 has no indicator %(key)s."),
}
