"""The one eligibility check that the checker page, the API and `manage.py check_eligibility` all call.

It resolves which published rule version to use and which day to check, then hands the
version's RuleBook to the pure `rules.check.check`. It writes nothing.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from policy_portal.messages import Message
from rules import caching
from rules.check import check
from rules.interview import check_with_unsure, relevance, topic_list
from rules.models import RuleVersion
from rules.operators import FactError
from rules.selectors import current_version, fact_list, rulebook_for_version, version_by_number


def _published_version(number: int | None) -> RuleVersion:
    if number is None:
        return current_version()
    if isinstance(number, bool) or not isinstance(number, int):
        raise FactError("ruleset_version", "invalid_type", expected=Message("expected_whole_number"))
    try:
        version = version_by_number(number)
    except RuleVersion.DoesNotExist:
        version = None
    if version is None or version.status != RuleVersion.Status.PUBLISHED:
        raise FactError("ruleset_version", "unknown_version", number=number)
    return version


def _arguments(facts: object, as_of: dt.date | None, ruleset_version: int | None):
    version = _published_version(ruleset_version)
    book = rulebook_for_version(version)
    if isinstance(facts, dict) and len(facts) > len(book.vocabulary):
        raise FactError("facts", "too_many_facts", count=len(facts), limit=len(book.vocabulary))
    if as_of is None:
        as_of = timezone.localdate()
    elif isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise FactError("as_of", "invalid_date")
    return book, as_of


def fact_sections() -> dict[str, str]:
    """fact code → its questionnaire section, in questionnaire order (built once per rule version)."""
    return caching.per_version(("interview:sections",), lambda: {f.code: f.section for f in fact_list()})


def eligibility_relevant(*, facts: object, as_of: dt.date | None = None, ruleset_version: int | None = None,
                         unsure=(), declined=(), topics=None) -> dict:
    """Which facts can still change some clause's answer, and the next ones to ask in steps (rules.interview).

    As `eligibility_check`, plus: `unsure` (answered 不确定), `declined` (asked and left empty) and `topics`
    (the sections to narrow to; None for all). Adds `topics`: the sections one can narrow to.
    """
    book, as_of = _arguments(facts, as_of, ruleset_version)
    sections = fact_sections()
    answer = relevance(book, facts, as_of, sections=sections, unsure=unsure, declined=declined, topics=topics)
    return {**answer, "topics": topic_list(book, sections)}


def eligibility_check(*, facts: object, as_of: dt.date | None = None, ruleset_version: int | None = None,
                      unsure=()) -> dict:
    """Which clauses the stated facts qualify for on `as_of` under a published rule version.

    `as_of` defaults to today in Asia/Shanghai (this is the edge where the clock is read);
    `ruleset_version` defaults to the current published version. Raises FactError naming
    the field for any input that cannot be used ('facts.<code>', 'facts', 'ruleset_version').
    The result is `rules.check.check`'s dict, unchanged; with `unsure` facts (answered 不确定), clauses that
    would fire if they held are added to needs_review (rules.interview.check_with_unsure).
    """
    book, as_of = _arguments(facts, as_of, ruleset_version)
    if unsure:
        return check_with_unsure(book, facts, as_of, unsure)
    return check(book, facts, as_of)
