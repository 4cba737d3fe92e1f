"""The notification matching sends: a clause an organisation now qualifies for."""
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind

KINDS = (
    Kind("matching.new", _("A policy matched to you"), _("You may qualify for %(clause)s %(title)s"),
         _("From what we hold about your organisation, %(clause)s %(title)s applies to you. See 为您匹配 to apply.")),
)
