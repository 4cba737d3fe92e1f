"""rules.impact: a draft's effect on the stored applications and the case library, before anyone publishes it."""
import datetime as dt

import pytest

from rules.check import check
from rules.engine import engine
from rules.impact import AmountChange, ClauseState, StatusChange, Subject, impact_preview, subjects_for_preview
from rules.models import GoldenCase
from rules.selectors import build_rulebook, clause_edit_args, current_version, rulebook_for_version
from rules.services import clause_rule_edit, ruleset_draft_create
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, UserFactory, applicant, standard_item
from tests.rules.test_golden_cases import load_cases

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 1)
IMPOSSIBLE = {"fact": "org_type", "operator": "eq", "value": "university",
              "message_zh": "申请主体为高等学校", "message_en": "The applicant is a university"}


@pytest.fixture
def library(db):
    """The case library of fixtures/cases/*.yaml, which load_policies stores as GoldenCase rows."""
    assert GoldenCase.objects.count() == len(load_cases())


@pytest.fixture
def current():
    return rulebook_for_version(current_version())


@pytest.fixture
def admin():
    return UserFactory()


@pytest.fixture
def draft(admin):
    return ruleset_draft_create(actor=admin, note="impact preview")


def edit(actor, version, code, *, add_group=None, drop_review=False, **overrides):
    """Change one clause of a draft through clause_rule_edit, keeping everything not overridden."""
    args = clause_edit_args(version, code)
    groups = [[c for c in g if not (drop_review and c["operator"] == "review")] for g in args["conditions"]]
    args["conditions"] = [g for g in groups if g] + ([add_group] if add_group else [])
    clause_rule_edit(actor=actor, version=version, clause_code=code, **{**args, **overrides})


def qualifying_under(book, subjects, code, statuses=("eligible", "needs_review")):
    keys = []
    for s in subjects:
        result = check(book, s.facts, s.as_of)
        if any(item["code"] == code for status in statuses for item in result[status]):
            keys.append(s.key)
    return keys


def test_raising_fim_4_2s_cap_changes_exactly_the_subjects_eligible_for_it(library, current, admin, draft):
    edit(admin, draft, "FIM-4.2", amount_yuan=800_000)
    subjects = subjects_for_preview()
    expected = qualifying_under(current, subjects, "FIM-4.2", statuses=("eligible",))

    report = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)

    assert expected
    assert [c.subject.key for c in report.changes] == expected
    for change in report.changes:
        assert change.amount_changed == (AmountChange("FIM-4.2", 500_000, "cap", 800_000, "cap"),)
        assert change.gained == change.lost == change.status_changed == ()
    assert report.totals() == {"subjects_evaluated": len(subjects), "subjects_changed": len(expected), "gained": 0,
                               "lost": 0, "status_changes": 0, "amount_changes": len(expected), "errors": 0}
    assert (report.current_version, report.draft_version) == (current.version, draft.number)


def test_an_impossible_condition_on_fim_6_1_shows_the_subjects_losing_it(library, current, admin, draft):
    edit(admin, draft, "FIM-6.1", add_group=[IMPOSSIBLE])
    subjects = subjects_for_preview()
    expected = qualifying_under(current, subjects, "FIM-6.1")

    report = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)

    assert expected
    assert [c.subject.key for c in report.changes] == expected
    for change in report.changes:
        assert change.lost == (ClauseState("FIM-6.1", "eligible", 500_000, "fixed"),)
        assert change.gained == change.status_changed == change.amount_changed == ()
    assert (report.lost, report.gained, report.amount_changes) == (len(expected), 0, 0)


def test_dropping_fim_1_1s_review_turns_needs_review_into_eligible(library, current, admin, draft):
    edit(admin, draft, "FIM-1.1", drop_review=True)
    subjects = subjects_for_preview()
    expected = qualifying_under(current, subjects, "FIM-1.1")

    report = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)

    assert expected and [c.subject.key for c in report.changes] == expected
    assert {c.status_changed for c in report.changes} == {(StatusChange("FIM-1.1", "needs_review", "eligible"),)}
    assert report.status_changes == len(expected)


def test_an_unchanged_draft_lists_no_subject(library, current, draft):
    subjects = subjects_for_preview()

    report = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)

    assert report.changes == () and report.errors == ()
    assert report.as_dict()["totals"] == report.totals()
    assert report.subjects_evaluated == len(subjects) == len(load_cases())


def test_stored_applications_appear_by_reference_once_submitted(current, admin, draft, django_capture_on_commit_callbacks):
    owner = applicant()
    submitted = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(),
                                   amount_requested_yuan=400_000, as_of=AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = application_submit(actor=owner, application_id=submitted.pk)  # its reference is given now
    unsent = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(),
                                amount_requested_yuan=400_000, as_of=AS_OF)
    edit(admin, draft, "FIM-4.2", amount_yuan=800_000)

    subjects = subjects_for_preview()
    report = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)

    applications = [(s.kind, s.key, s.clause) for s in subjects if s.kind == "application"]
    assert applications == [("application", submitted.reference, "FIM-4.2")]
    assert unsent.reference not in {s.key for s in subjects}
    [change] = [c for c in report.changes if c.subject.kind == "application"]
    assert (change.subject.kind, change.subject.key) == ("application", submitted.reference)
    assert change.amount_changed == (AmountChange("FIM-4.2", 500_000, "cap", 800_000, "cap"),)


def test_a_subject_whose_facts_do_not_fit_is_reported_under_each_book_not_raised(current, admin, draft):
    edit(admin, draft, "FIM-4.2", amount_yuan=800_000)
    subjects = [Subject("case", "bad", {**STANDARD_FACTS, "org_type": "spaceship"}, AS_OF),
                Subject("case", "good", STANDARD_FACTS, AS_OF)]

    report = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)

    assert [(e.subject.key, e.book, e.field, e.code) for e in report.errors] == [
        ("bad", "current", "facts.org_type", "invalid_choice"), ("bad", "draft", "facts.org_type", "invalid_choice")]
    assert [c.subject.key for c in report.changes] == ["good"]
    assert report.totals()["errors"] == 2 and report.subjects_evaluated == 2


def test_a_draft_edited_again_is_previewed_with_its_new_rules_and_not_left_compiled(current, admin, draft):
    subjects = [Subject("case", "standard", STANDARD_FACTS, AS_OF)]
    check(current, STANDARD_FACTS, AS_OF)
    compiled = engine.compiled_keys()
    edit(admin, draft, "FIM-4.2", amount_yuan=800_000)
    first = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)
    edit(admin, draft, "FIM-4.2", amount_yuan=900_000, add_group=[IMPOSSIBLE])

    second = impact_preview(current=current, draft=build_rulebook(draft), subjects=subjects)

    assert first.changes[0].amount_changed[0].after_yuan == 800_000
    assert second.changes[0].lost == (ClauseState("FIM-4.2", "eligible", 500_000, "cap"),)
    assert engine.compiled_keys() == compiled


def test_a_draft_someone_checked_before_its_last_edit_is_previewed_with_its_new_rules(current, admin, draft):
    edit(admin, draft, "FIM-4.2", amount_yuan=800_000)
    before_edit = build_rulebook(draft)
    check(before_edit, STANDARD_FACTS, AS_OF)  # e.g. the publish checks: compiled under the draft's number, kept
    edit(admin, draft, "FIM-4.2", add_group=[IMPOSSIBLE])

    try:
        report = impact_preview(current=current, draft=build_rulebook(draft),
                                subjects=[Subject("case", "standard", STANDARD_FACTS, AS_OF)])
    finally:
        engine.release(before_edit.engine_key)

    assert report.changes[0].lost == (ClauseState("FIM-4.2", "eligible", 500_000, "cap"),)
