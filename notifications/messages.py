"""What refusals about notifications say: codes → English msgids, translated in notifications/locale."""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "unknown_kind": _("There is no kind of notification %(kind)s."),
}
