"""What refusals about calls and budgets say (codes registered with policy_portal.messages)."""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_lead_bureau": _("Only an administrator or the lead bureau of the clauses can do this."),
    "call_window": _("The call must close after it opens (times in Beijing time)."),
    "invalid_datetime": _("Give a date and time."),
    "over_budget": _("The remaining budget is %(remaining_yuan)s, less than %(amount_yuan)s."),
    "override_needs_head": _("Only the bureau's head may approve beyond the budget, giving a reason."),
    "budget_below_spent": _("The budget cannot be less than what is committed and paid (%(spent_yuan)s)."),
    "more_than_committed": _("That is more than the %(committed_yuan)s committed."),
    "unknown_measure": _("There is no measure %(measure)s."),
}
