"""The one catalogue of what refusals say: a stable code → a sentence with named parameters.

Sentences are English msgids translated through Django's machinery (locale/zh_Hans), so the pages
and the API say the same thing in the active language (Chinese first). Parameters are shown as
people know them: clause codes as written (FIM-4.2), sums in 万元 in Chinese (`*_yuan`), lists
joined the way each language joins them. Never a database id.

Apps add their codes with `register({...})` from their AppConfig.ready(), so this module imports no
app; a code raised before it is registered falls back to the raiser's own sentence.
"""
from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .formatting import is_english, money

MESSAGES: dict[str, Promise | str] = {
    # the shape of the input
    "invalid": _("This value is not valid."),
    "required": _("This is required."),
    "parse_error": _("The request body is not valid JSON."),
    "too_deep": _("The request nests values deeper than %(limit)s levels."),
    "too_large": _("The request is too large."),
    "not_found": _("Not found."),
    "not_authenticated": _("Sign in first."),
    "permission_denied": _("You may not do this."),
    "throttled": _("Too many requests; try again in a moment."),
    # the rule engine (503: ours, logged)
    "engine_unavailable": _("The rule engine could not answer; please try again later."),
    "engine_limit": _("The facts cross one of the rule engine's limits: %(detail)s"),
    "no_published_version": _("No rule version is published yet; the check cannot answer."),
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


def _shown(name: str, value) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if name.endswith("_yuan") and isinstance(value, int):
        return money(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_shown(name, v) for v in value]
        return ", ".join(items) if is_english() else "、".join(items)
    return str(value)


def fill(text, params: dict | None, *, fallback: str = "") -> str:
    """`text` (a msgid, translated now) with its %(name)s parameters shown as people read them."""
    text = str(text)
    if not params:
        return text
    try:
        return text % {name: _shown(name, value) for name, value in params.items()}
    except (KeyError, ValueError, TypeError):  # a parameter missing from a raise site: say what we can
        return fallback or text


def render(code: str, params: dict | None = None, *, fallback: str = "") -> str:
    """The sentence for `code` in the active language, its parameters filled in."""
    template = MESSAGES.get(code)
    if template is None:
        return fallback or code
    return fill(template, params, fallback=fallback)
