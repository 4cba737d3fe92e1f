"""What the applications workflow's refusals say: code → English msgid with %(param)s (Chinese in subsidies/locale).

Registered with policy_portal.messages in SubsidiesConfig.ready(). Codes other apps raise too (not_owner,
not_your_bureau, not_editable, not_open, amount_required, reason_required, …) belong to the shared catalogue.
Raise sites give the code, the field and the parameters, never words of their own.
"""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invalid_transition": _("%(action)s is not possible: the application is %(status)s (last changed by %(by)s at %(at)s)."),
    "not_submittable": _("A %(status)s application cannot be submitted."),
    "stale": _("Someone else changed this application meanwhile; reload it and decide again."),
    "unknown_action": _("There is no action %(action)s."),
    "achievement_already_supported": _(
        "The item %(achievement)s has already been supported for this organisation (application %(reference)s under "
        "%(clause)s); one item is supported once (就新、不重复)."
    ),
    "achievement_already_supported_concurrently": _(
        "The item %(achievement)s has just been approved for this organisation under another application; one item "
        "is supported once (就新、不重复)."
    ),
    "achievement_claimed_before": _(
        "The item %(achievement)s is also claimed in this organisation's application %(references)s; one item is "
        "supported once (就新、不重复): say in the description how this application differs, or withdraw one."
    ),
    "achievement_supported_before": _(
        "The item %(achievement)s has already been supported for this organisation (application %(references)s); "
        "one item is supported once (就新、不重复), so this application cannot be approved for it."
    ),
    "achievement_required": _(
        "Achievement identifier: state the %(kind)s of the item %(clause)s supports (就新、不重复: one item is "
        "supported once)."
    ),
    "not_reassignable": _("Applications under district review are not reassigned; recommend or decide them."),
    "no_other_bureau": _("%(clause)s names no other responsible bureau."),
    "invalid_bureau": _("Choose one of the clause's other responsible bureaus: %(bureaus)s."),
    "same_bureau": _("The application is already with that bureau."),
    "not_consulted_bureau": _("Only an officer of the consulted bureau can answer."),
    "already_answered": _("This consultation has been answered."),
    "application_incomplete": _("Before it is submitted, the %(clause)s application needs: %(missing)s."),
    "over_yearly_cap": _("Beyond the yearly cap on support from FIM (%(cap_yuan)s): %(left_yuan)s is left for %(year)s."),
    "own_decision": _("The officer who took the decision cannot review its appeal; another officer of the bureau does."),
    "appeal_too_late": _("An appeal (复核) must be made within %(days)s working days of the decision, that is by "
                         "%(until)s; that limit has passed."),
    "already_appealed": _("This rejection has already been appealed; the outcome of the review is final."),
    "not_appealable": _("Only a rejected application can be appealed; this one is %(status)s."),
    "too_many_files": _("At most %(limit)s files."),
    "clause_not_in_force": _("%(clause)s has no rule in the rule version in force."),
    "not_applicant": _("Only applicant organisations can apply."),
    "no_district_authority": _("No district authority (主管单位) is registered for %(district)s; the application "
                               "cannot be routed."),
    "amount_not_positive": _("The amount must be a positive whole number of yuan."),
    "amount_must_equal_fixed_sum": _("%(clause)s pays a fixed sum of %(amount_yuan)s: state that sum or leave the "
                                     "amount empty."),
    "amount_above_cap": _("At most %(cap_yuan)s under %(clause)s."),
    "organisation_not_verified": _(
        "Your organisation is %(status)s: you can check eligibility and save drafts now, and submit once the district "
        "has verified its business licence."),
    "call_not_open_yet": _("The call for applications under %(clause)s opens at %(opens_at)s (Beijing time); "
                           "submit then."),
    "call_closed": _("The call for applications under %(clause)s closed at %(closes_at)s (Beijing time); "
                     "it no longer takes submissions."),
    "call_closed_next": _("The call for applications under %(clause)s closed at %(closes_at)s (Beijing time); "
                          "the next opens at %(opens_at)s."),
    "materials_missing": _("Upload the required materials first: %(materials)s."),
    "unknown_material": _("This is not one of the materials of the application's call."),
    "not_submitted": _("The application has not been submitted yet; its application form is made at submission."),
    "award_amount_unknown": _("%(clause)s grants up to a sum or an investment: an award without an application "
                              "cannot say how much, so the enterprise must apply."),
}
