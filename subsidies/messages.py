"""What refusals about applications say (English msgids, translated in locale/zh_Hans).

Registered with policy_portal.messages from SubsidiesConfig.ready(). Carriers raise some of these codes
too (not_owner, not_editable, not_applicable, not_your_bureau, not_open): one code, one meaning.
"""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # who may act on an application, and when
    "not_owner": _("Only the applicant organisation can do this."),
    "not_your_bureau": _("Only an officer of a bureau handling this application can do this."),
    "not_editable": _("Only drafts and returned applications can be changed."),
    "not_applicable": _("This does not apply to %(clause)s."),
    "not_open": _("This application is %(status)s: it is no longer open."),
    # attachments
    "file_content_mismatch": _("The file's content is not that of a %(extension)s file."),
    "too_many_files": _("At most %(limit)s files per application."),
    # consulting another bureau
    "invalid_bureau": _("Choose one of the clause's bureaus: %(bureaus)s."),
    "not_consulted_bureau": _("Only an officer of the consulted bureau can answer."),
    "already_answered": _("This consultation has been answered."),
    # routing
    "no_district_authority": _("No district authority (主管单位) is registered for %(district)s; the application "
                               "cannot be routed."),
}
