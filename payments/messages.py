"""What 公示, payment and statistics refusals and notifications say (codes registered with policy_portal.messages)."""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_publicity_bureau": _("Only an officer of the bureau that decided these applications can do this."),
    "invalid_working_days": _("Give the period as %(first)s to %(last)s working days."),
    "nothing_to_publish": _("No approved application of %(clause)s is waiting to be published."),
    "publicity_closed": _("Objections were taken until %(ends_on)s; this publicity is closed."),
    "unknown_entry": _("Choose an entry of this publicity list."),
    "too_many_objection_files": _("At most %(limit)s files."),
    "objection_answered": _("This objection has been answered."),
    "invalid_paid_on": _("Give the day it was paid, not in the future."),
    "instalment_not_scheduled": _("This instalment is %(status)s: only a scheduled instalment is paid."),
    "earlier_instalment_unpaid": _("Pay the earlier instalments first."),
    "instalment_not_paid": _("This instalment is %(status)s: receipt is confirmed once it is paid."),
    "order_not_open": _("This payment order is %(status)s."),
    "invalid_group_by": _("Group by one of: %(choices)s."),
}
