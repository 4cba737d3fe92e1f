"""The one catalogue of what refusals say: a stable code → a sentence with named parameters.

Sentences are English msgids translated through Django's machinery (locale/zh_Hans), so the pages
and the API say the same thing in the active language (Chinese first). Parameters are shown as
people know them: clause codes as written (FIM-4.2), sums in 万元 in Chinese (`*_yuan`), version
numbers as v12 (`version`, `*_version`), dates as YYYY-MM-DD, lists joined the way each language joins
them, data kept in both languages (`Bilingual`) in the active one, and a `Message` (a code and its
parameters, rendered late) as the words it stands for. Never a database id.

Apps add their codes with `register({...})` from their AppConfig.ready(), so this module imports no
app; a code raised before it is registered falls back to the raiser's own sentence. A code means one
thing everywhere: codes shared by several apps (required, too_long, not_found, …) live here, and
their sentences are true at every site that raises them.
"""
from __future__ import annotations

import datetime as dt

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .formatting import is_english, money

MESSAGES: dict[str, Promise | str] = {
    # the shape of the input
    "invalid": _("This value is not valid."),
    "required": _("This is required."),
    "null": _("Leave this out instead of stating null."),
    "invalid_type": _("This value has the wrong form: expected %(expected)s."),
    "invalid_choice": _("The value is not one of the allowed choices."),
    "out_of_range": _("This value is outside the allowed range."),
    "invalid_precision": _("At most two decimals."),
    "invalid_date": _("Enter a real date from 1900 to 2200, written YYYY-MM-DD."),
    "not_a_whole_number": _("Enter a whole number."),
    "too_long": _("At most %(limit)s characters."),
    "unknown_field": _("This field is not known here."),
    "field_error": _("%(field)s: %(detail)s"),
    "parse_error": _("The input is not valid JSON: %(problem)s."),
    "too_large": _("The request body is larger than %(limit)s bytes."),
    "file_too_large": _("The file is larger than %(limit_mb)s MB."),
    "file_type_not_allowed": _("Files of this type are not accepted; allowed: %(allowed)s."),
    "file_content_mismatch": _("The file's content is not that of a %(extension)s file."),
    "file_container_too_large": _("The file holds or expands to too much (at most %(limit)s parts, %(limit_mb)s MB)."),
    "file_suspicious": _("The file holds a part that is packed suspiciously or is itself an archive; it is refused."),
    "invalid_year": _("Enter a year from %(first)s to %(last)s."),
    "invalid_amount": _("Enter the amount as a whole number of yuan."),
    "duplicate": _("%(name)s is listed twice."),
    # who may do what
    "not_found": _("Not found."),
    "not_authenticated": _("Sign in first."),
    "permission_denied": _("You may not do this."),
    "invalid_credentials": _("Unknown username or wrong password."),
    "throttled": _("Too many requests; try again in a moment."),
    "bad_request": _("The request could not be read."),
    "server_error": _("Something went wrong on our side; it has been recorded. Try again later."),
    "reason_required": _("Give a reason: say what must change."),
    # applications: who may act on one, and when (subsidies and carriers raise these)
    "not_owner": _("Only the applicant organisation can do this."),
    "not_your_bureau": _("Only an officer of a bureau handling this application can do this."),
    "not_editable": _("Only drafts and returned applications can be changed."),
    "not_applicable": _("This does not apply to %(clause)s."),
    "not_open": _("This application is %(status)s: it is no longer open."),
    # sums asked for (a clause's, an application's)
    "amount_required": _("Enter the amount: a positive whole number of yuan."),
    "amount_not_applicable": _("This clause states no sum: leave the amount empty."),
    # the rule engine (503: ours, logged)
    "engine_unavailable": _("The rule engine could not answer; please try again later."),
    "engine_limit": _("Too many facts for the rule engine: %(count)s properties, at most %(limit)s."),
    "no_published_version": _("No rule version is published yet; the check cannot answer."),
    # phrases that fill the sentences above
    "expected_object": _("an object"),
    "expected_list": _("a list"),
    "expected_non_empty_list": _("a list of at least one value"),
    "expected_short_list": _("a list of at most %(limit)s values"),
    "expected_text": _("text"),
    "expected_short_text": _("text of at most %(limit)s characters"),
    "expected_bool": _("true or false"),
    "expected_whole_number": _("a whole number"),
    "expected_percentage": _("a percentage such as 12.5"),
    "json_malformed": _("malformed at line %(line)s, column %(column)s"),
    "json_not_utf8": _("the body is not UTF-8 text"),
    "json_bad_constant": _("NaN, Infinity and numbers too long to read are not JSON"),
    "json_too_deep": _("values nest deeper than %(limit)s levels"),
}


# Codes registered twice with different words: the first words stay; tests/unit/test_messages.py fails on any.
CONFLICTS: list[tuple[str, str, str]] = []


def register(messages: dict[str, Promise | str]) -> None:
    """Add an app's codes. One code has one meaning: a second registration with other words is kept out and
    recorded in CONFLICTS (a test fails on it) rather than stopping the process."""
    for code, text in messages.items():
        if code in MESSAGES:
            if str(MESSAGES[code]) != str(text):
                CONFLICTS.append((code, str(MESSAGES[code]), str(text)))
            continue
        MESSAGES[code] = text


class Message:
    """A code and its parameters, put into words only when shown (so in the language active then).

    A parameter may itself be a Message: `DomainError("parse_error", problem=Message("json_too_deep", limit=32))`.
    """

    def __init__(self, code: str, **params):
        self.code, self.params = code, params

    def __str__(self) -> str:
        return render(self.code, self.params)

    def __repr__(self) -> str:
        return f"Message({self.code!r}, **{self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)


class Bilingual:
    """Data that exists in both languages (a condition's message, a choice's label): shown in the active one."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en

    def __str__(self) -> str:
        return (self.en or self.zh) if is_english() else (self.zh or self.en)

    def __repr__(self) -> str:
        return f"Bilingual({self.zh!r}, {self.en!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Bilingual) and (self.zh, self.en) == (other.zh, other.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))


def _shown(name: str, value) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if name.endswith("_yuan") and isinstance(value, int):
        return money(value)
    if (name == "version" or name.endswith("_version")) and isinstance(value, int):
        return f"v{value}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_shown(name, v) for v in value]
        return ", ".join(items) if is_english() else "、".join(items)
    return str(value)


def fill(text, params: dict | None, *, fallback: str = "") -> str:
    """`text` (a msgid, translated now) with its %(name)s parameters shown as people read them."""
    text = str(text)
    try:  # always formatted, so "%%" reads "%" and a text missing its parameters falls back
        return text % {name: _shown(name, value) for name, value in (params or {}).items()}
    except (KeyError, ValueError, TypeError):  # a parameter missing from a raise site: say what we can
        return fallback or text


def render(code: str, params: dict | None = None, *, fallback: str = "") -> str:
    """The sentence for `code` in the active language, its parameters filled in."""
    template = MESSAGES.get(code)
    if template is None:
        return fallback or code
    return fill(template, params, fallback=fallback)
