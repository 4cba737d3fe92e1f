"""What the rule tables' refusals and findings say: codes → English msgids, translated in rules/locale.

Registered with policy_portal.messages from RulesConfig.ready(). The labels the sentences and the
pages share (a version's status, a case's outcome) live here too, so a refusal names a status
exactly as the version page shows it.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from policy_portal.messages import Message

# Labels of our own (with a context), so they never take a translation meant for another page's "Published".
STATUS_LABELS = {
    "draft": pgettext_lazy("rule version status", "Draft"),
    "in_review": pgettext_lazy("rule version status", "In review"),
    "published": pgettext_lazy("rule version status", "Published"),
    "retired": pgettext_lazy("rule version status", "Retired"),
    "rejected": pgettext_lazy("rule version status", "Rejected"),
}
OUTCOME_LABELS = {
    "eligible": pgettext_lazy("case outcome", "Eligible"),
    "needs_review": pgettext_lazy("case outcome", "Needs review"),
    "not_eligible": pgettext_lazy("case outcome", "Not eligible"),
}


def status_label(status: str):
    return STATUS_LABELS.get(status, status)


def outcome_label(outcome: str):
    return OUTCOME_LABELS.get(outcome, outcome)


MESSAGES = {
    # versions: review and publication
    "not_published": _("%(version)s was never published: only a published version can be copied or restored."),
    "not_a_draft": _("%(version)s is %(status)s: only a draft can be changed; start a new draft."),
    "not_in_review": _("%(version)s is %(status)s, not in review: submit it for review first."),
    "second_administrator_required": _(
        "Another administrator must review and publish this version: you created, edited or submitted it."),
    "does_not_compile": _("The rule engine could not compile %(version)s, so nothing was published. The engine said: "
                          "%(detail)s"),
    "golden_cases_failed": _("%(count)s case(s) of the library fail under this version, so it cannot be published: "
                             "%(cases)s."),
    "case_failed": _("%(clause)s: expected “%(expected)s”, got “%(got)s”"),
    "case_failed_amount": _("%(clause)s: expected %(expected_yuan)s, got %(got_yuan)s"),
    "case_failed_unmet": _("%(clause)s: the unmet conditions do not include %(facts)s"),
    "case_failed_listed": _("%(clause)s is a framework clause, yet the check lists it"),
    "case_failed_error": _("%(clause)s: the case cannot be checked under this version"),
    # a clause's parameters and conditions
    "unknown_clause": _("There is no clause %(clause)s."),
    "unknown_fact": _("The facts vocabulary has no fact %(fact)s."),
    "unknown_topic": _("There is no topic %(topic)s: choose among the sections the questionnaire lists."),
    "operator_mismatch": _("The operator %(operator)s does not fit a fact of the type “%(type)s”."),
    "unexpected_value": _("The operator %(operator)s takes no value: leave the value empty."),
    "invalid_pattern": _("A pattern is text with at least one * wildcard."),
    "invalid_window": _("The end date (exclusive) must come after the start."),
    "invalid_bureaus": _("Name each responsible bureau once by its short name, the lead first. %(unknown)s"),
    "bureaus_unknown": _("Not on the list: %(bureaus)s."),
    "expected_condition_groups": _("a list of groups, each a list of alternative conditions"),
    "expected_condition_group": _("a list of at least one condition"),
    "expected_condition": _("an object with fact, operator, value, message_zh and message_en"),
    # the case library
    "clause_not_evaluated": _("%(clause)s is a framework clause: it is never evaluated, so it takes no cases."),
    "duplicate_name": _("A case with this name already exists."),
    "invalid_json": _("Write the facts as a JSON object, e.g. {\"org_type\": \"enterprise\"}."),
    # spreadsheets
    "invalid_file": _("The file is not a readable %(format)s file."),
    "missing_sheet": _("The workbook has no sheet named %(sheet)s."),
    "missing_column": _("The %(sheet)s sheet has no %(column)s column in row 1."),
    "duplicate_column": _("The column %(column)s appears twice."),
    "duplicate_row": _("This repeats %(what)s, already listed at %(where)s."),
    "clause_not_listed": _("%(clause)s has no row on the clauses sheet."),
    "too_many_rows": _("At most %(limit)s rows."),
    "invalid_value": _("The value cannot be used: %(reason)s."),
    "malformed_json": _("The value is not JSON. Write text in double quotes (\"enterprise\"), lists in brackets "
                        "([\"a\", \"b\"]), true/false or a number; leave it empty for in_window, exists and review."),
    "invalid_yaml": _("The file is not valid YAML, or uses aliases (*name), near line:column %(where)s."),
    "unknown_key": _("Unknown key %(key)s; expected %(expected)s."),
    "condition_at": _("%(clause)s group %(group)s position %(position)s"),
    "value_too_deep": _("it nests too deeply"),
    "value_not_finite": _("numbers must be finite"),
    "value_has_time": _("dates take no time of day"),
    "value_kind": _("it cannot be a %(kind)s"),
    "expected_clause_list": _("a list of clauses under clauses:"),
    "expected_clause": _("a mapping with code, amount_yuan, …, conditions"),
    "expected_bureau_names": _("the bureaus' short names as text"),
    "expected_yaml_text": _("YAML text"),
    # static checks (findings: not refusals, but the same catalogue)
    "finding_condition_without_words": _(
        "%(clause)s: the condition %(conditions)s names no words of the text and follows no documented interpretation."),
    "finding_condition_words_not_found": _(
        "%(clause)s: the condition %(conditions)s quotes “%(quote)s”, which is not in the text of %(document)s, and "
        "follows no documented interpretation."),
    "quote_not_in_text": _("These words are not an exact passage of the text of %(document)s."),
    "unknown_document": _("There is no document %(document)s."),
    "finding_empty_window": _("%(clause)s: the validity window is empty (from %(first)s, ending %(last)s); "
                              "the clause can never apply."),
    "finding_empty_window_fact": _("%(clause)s: %(fact)s must fall within the window (in_window), but the validity "
                                   "window is empty (from %(first)s, ending %(last)s); the clause can never apply."),
    "finding_impossible_condition": _("%(clause)s: the condition %(conditions)s holds for no value an applicant can "
                                      "state."),
    "finding_contradictory_conditions": _("%(clause)s: the conditions on %(fact)s can never all hold: %(conditions)s."),
    "finding_contradictory_alternatives": _("%(clause)s: none of the alternatives %(conditions)s can hold together "
                                            "with the clause's other conditions."),
    "finding_window_ended": _("%(clause)s: the validity window ended on %(last)s; it no longer applies to new checks "
                              "(checks as of earlier dates still use it)."),
    "finding_superseded_achievement": _(
        "%(older)s and %(newer)s reward the same achievement “%(achievement)s” in overlapping windows; under "
        "就新、不重复 the newer document's clause (%(document)s %(newer)s) applies and %(older)s is superseded for it."),
    "finding_double_payment": _("%(first)s and %(second)s (%(where)s) both pay for the achievement “%(achievement)s” "
                                "in overlapping windows: one achievement could be supported twice."),
    "finding_same_document": _("the same document"),
    "finding_same_day": _("documents taking effect the same day"),
    "finding_unused_fact": _("No clause uses the fact %(fact)s: stating it changes no answer."),
    "finding_framework_fact": _("The fact %(fact)s appears only in framework clauses, which are never evaluated: "
                                "it affects no answer."),
    "finding_missing_golden_cases": _("%(clause)s: the case library lacks %(missing)s, so publishing cannot verify it."),
    "finding_qualifying_case": _("a qualifying case (eligible or needs_review)"),
    "finding_non_qualifying_case": _("a non-qualifying case (not_eligible)"),
}


def case_failure_message(failure) -> Message:
    """How a failing case is named in a refusal: by its clause and outcome, in the active language."""
    if failure.got == "error":
        return Message("case_failed_error", clause=failure.clause)
    if failure.expected == "never listed":
        return Message("case_failed_listed", clause=failure.clause)
    if failure.missing_unmet:
        return Message("case_failed_unmet", clause=failure.clause, facts=list(failure.missing_unmet))
    if failure.expected_yuan is not None and failure.got_yuan is not None and failure.expected == failure.got:
        return Message("case_failed_amount", clause=failure.clause, expected_yuan=failure.expected_yuan,
                       got_yuan=failure.got_yuan)
    return Message("case_failed", clause=failure.clause, expected=outcome_label(failure.expected),
                   got=outcome_label(failure.got))
