"""What matching's refusals say: codes → English msgids, translated in matching/locale."""
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "fact_from_record": _("“%(fact)s” comes from the organisation's registration, not from the profile."),
    "unknown_list_kind": _("Unknown list kind %(kind)s."),
    "list_column_missing": _("The file has no column “%(column)s” that the mapping needs."),
    "list_mapping_invalid": _("The mapping names %(target)s, which is neither a fact nor the credit code or name."),
    "list_no_credit_code_column": _("The mapping must name the column of the 统一社会信用代码."),
    "list_empty": _("The file holds no rows."),
    "list_too_many_rows": _("At most %(limit)s rows in one file."),
    "list_unreadable": _("The file could not be read as Excel (.xlsx) or CSV (UTF-8 or GB18030)."),
    "list_duplicate_code": _("The credit code %(credit_code)s is also on row %(other)s."),
    "list_bad_date": _("Not a date: write 2026-05-20, 2026年5月20日 or an Excel date."),
    "list_bad_value": _("Not a value of %(fact)s: %(value)s."),
    "list_has_errors": _("The file has %(count)s error(s); nothing was imported."),
    "list_not_preview": _("This import was already applied or discarded."),
    "match_not_open": _("This match can no longer be acted on."),
}
