"""What the eligibility check's refusals say (English msgids, translated in locale/zh_Hans)."""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "unknown_version": _("No published rule version is numbered %(number)s."),
    "too_many_facts": _("%(count)s facts stated, but the questionnaire has only %(limit)s."),
}
