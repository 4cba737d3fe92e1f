"""What refusals about accounts say (English msgids, translated in locale/zh_Hans)."""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invalid_length": _("A unified social credit code has %(length)s characters."),
    "invalid_character": _("Characters not allowed in a unified social credit code: %(characters)s "
                           "(I, O, Z, S and V are never used)."),
    "invalid_division": _("Characters 3 to 8 of a unified social credit code are the administrative division code: "
                          "six digits."),
    "invalid_check_digit": _("The check digit (the 18th character) does not match: please check the code."),
}
