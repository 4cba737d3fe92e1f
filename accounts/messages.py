"""What refusals about accounts say: codes → English msgids, translated in accounts/locale.

Registered with policy_portal.messages from AccountsConfig.ready().
"""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invalid_length": _("A unified social credit code has %(length)s characters."),
    "invalid_character": _("Characters not allowed in a unified social credit code: %(characters)s "
                           "(I, O, Z, S and V are never used)."),
    "invalid_division": _("Characters 3 to 8 of a unified social credit code are the administrative division code: "
                          "six digits."),
    "invalid_check_digit": _("The check digit (the 18th character) does not match: please check the code."),
    # signing in
    "locked": _("Too many failed attempts: try again in a while."),
    # registering an organisation
    "credit_code_taken": _("The credit code %(credit_code)s is already registered; if it is yours, raise a dispute."),
    "email_unusable": _("Use an email address of your own that is not registered yet."),
    "invalid_email": _("Enter an email address."),
    "username_taken": _("This username is taken."),
    "weak_password": _("Choose a stronger password: %(reasons)s"),
    "link_expired": _("This link has expired."),
    "link_invalid": _("This link is not valid."),
    "link_used": _("This link was used already: sign in."),
    # verifying organisations and managing members
    "not_your_district": _("Only the district's officers or an administrator verify an organisation."),
    "already_decided": _("This organisation has been decided already."),
    "not_org_admin": _("Only the organisation's administrator can do this."),
    "already_member": _("This person is a member already."),
    "cannot_remove_self": _("You cannot remove yourself; make another member administrator first."),
    "not_admin": _("Only an administrator resolves disputes."),
}
