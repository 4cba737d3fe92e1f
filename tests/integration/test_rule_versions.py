"""Administrators change rules safely: drafts, validation, a second reviewer, golden cases, rollback, replay."""
import datetime as dt

import pytest

from catalogue.models import Clause
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from rules.check import check
from rules.models import GoldenCase, RuleVersion
from rules.selectors import clause_edit_args, current_version, rulebook_for_version
from rules.services import (
    clause_rule_edit,
    compile_check,
    ruleset_draft_create,
    ruleset_publish,
    ruleset_rollback,
    ruleset_submit,
)
from subsidies.models import Evaluation
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, UserFactory, applicant, standard_item

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 1)


def edit_fim42(actor, draft, **overrides):
    args = {**clause_edit_args(draft, "FIM-4.2"), **overrides}
    return clause_rule_edit(actor=actor, version=draft, clause_code="FIM-4.2", **args)


def expect_fim42_cap(amount):
    """A policy change changes its expected outcomes too: the library's FIM-4.2 cases move with the cap."""
    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False).update(amount_yuan=amount)


ACKNOWLEDGED = {"FIM-4.2": "the bureau raised the cap"}


def cap_of(result, code="FIM-4.2"):
    return next(e["amount_yuan"] for e in result["eligible"] if e["code"] == code)


def test_a_raised_cap_goes_live_only_when_a_second_administrator_publishes():
    author, reviewer = UserFactory(), UserFactory()
    old = current_version()
    draft = ruleset_draft_create(actor=author, note="raise FIM-4.2")
    edit_fim42(author, draft, amount_yuan=800_000)
    expect_fim42_cap(800_000)
    ruleset_submit(actor=author, version=draft)

    with pytest.raises(NotAllowed):
        ruleset_publish(actor=author, version=draft)
    ruleset_publish(actor=reviewer, version=draft, acknowledgements=ACKNOWLEDGED)

    new = current_version()
    assert new.number == draft.number and new.status == RuleVersion.Status.PUBLISHED
    assert cap_of(check(rulebook_for_version(new), STANDARD_FACTS, AS_OF)) == 800_000
    assert cap_of(check(rulebook_for_version(old), STANDARD_FACTS, AS_OF)) == 500_000  # old decisions replay
    assert [e.action for e in new.events.order_by("pk")] == ["draft", "edit", "submit", "publish"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"conditions": [[{"fact": "no_such_fact", "operator": "eq", "value": 1, "message_zh": "x", "message_en": "x"}]]},
         "conditions[0][0].fact"),
        ({"conditions": [[{"fact": "org_type", "operator": "gte", "value": "enterprise", "message_zh": "x", "message_en": "x"}]]},
         "conditions[0][0].operator"),
        ({"conditions": [[{"fact": "incubated_future_enterprises", "operator": "gte", "value": "many", "message_zh": "x",
                           "message_en": "x"}]]}, "conditions[0][0].value"),
        ({"conditions": [[{"fact": "org_type", "operator": "eq", "value": "company", "message_zh": "x", "message_en": "x"}]]},
         "conditions[0][0].value"),
        ({"conditions": [[{"fact": "org_type", "operator": "eq", "value": "enterprise", "message_zh": "", "message_en": "x"}]]},
         "conditions[0][0].message_zh"),
        ({"amount_kind": "cap", "amount_yuan": None}, "amount_yuan"),
        ({"amount_kind": "none", "amount_yuan": 5}, "amount_yuan"),
        ({"amount_kind": "bonus"}, "amount_kind"),
        ({"effective_to": dt.date(2025, 1, 1)}, "effective_to"),
        ({"bureaus": ["市不存在局"]}, "bureaus"),
    ],
)
def test_edits_that_do_not_fit_the_vocabulary_are_refused_naming_the_field(overrides, field):
    admin = UserFactory()
    draft = ruleset_draft_create(actor=admin)

    with pytest.raises(DomainError) as err:
        edit_fim42(admin, draft, **overrides)

    assert err.value.field == field


def test_published_versions_cannot_be_edited():
    with pytest.raises(Conflict):
        edit_fim42(UserFactory(), current_version(), amount_yuan=1)


def test_a_failing_golden_case_blocks_publishing():
    GoldenCase.objects.create(name="FIM-4.2 lead drafter qualifies", clause=Clause.objects.get(code="FIM-4.2"),
                              as_of=AS_OF, facts=STANDARD_FACTS, expected="eligible", amount_yuan=500_000)
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    conditions = clause_edit_args(draft, "FIM-4.2")["conditions"]
    conditions.append([{"fact": "intl_standard_role", "operator": "eq", "value": "participant",
                        "message_zh": "参与制修订", "message_en": "Participant"}])
    edit_fim42(author, draft, conditions=conditions)
    ruleset_submit(actor=author, version=draft)

    with pytest.raises(DomainError) as err:
        ruleset_publish(actor=UserFactory(), version=draft, acknowledgements=ACKNOWLEDGED)

    assert err.value.code == "golden_cases_failed"
    assert "FIM-4.2" in err.value.message  # by clause and outcome; the pages list the failures by name
    assert "FIM-4.2 lead drafter qualifies" in [failure.case for failure in err.value.failures]
    draft.refresh_from_db()
    assert draft.status == RuleVersion.Status.IN_REVIEW


def test_a_draft_that_does_not_compile_in_time_is_refused():
    book = rulebook_for_version(current_version())

    assert compile_check(book) is None
    assert "did not compile" in compile_check(book, timeout=0)


def test_rolling_back_is_a_draft_that_another_administrator_publishes_with_its_case_changes():
    author, reviewer = UserFactory(), UserFactory()
    original = current_version()
    draft = ruleset_draft_create(actor=author)
    edit_fim42(author, draft, amount_yuan=900_000)
    expect_fim42_cap(900_000)
    ruleset_submit(actor=author, version=draft)
    ruleset_publish(actor=reviewer, version=draft, acknowledgements=ACKNOWLEDGED)

    restored = ruleset_rollback(actor=reviewer, to_version=original)
    still_current = current_version()
    ruleset_submit(actor=reviewer, version=restored)
    with pytest.raises(NotAllowed):
        ruleset_publish(actor=reviewer, version=restored)
    ruleset_publish(actor=author, version=restored)

    restored.refresh_from_db()
    assert still_current == draft and restored.status == RuleVersion.Status.PUBLISHED
    assert set(GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False)
               .values_list("amount_yuan", flat=True)) == {500_000}
    assert current_version() == restored and restored.number > draft.number
    assert cap_of(check(rulebook_for_version(restored), STANDARD_FACTS, AS_OF)) == 500_000
    assert restored.checksum == original.checksum


def test_publishing_reevaluates_open_applications_and_marks_changed_eligibility(django_capture_on_commit_callbacks):
    owner = applicant()
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1, as_of=AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    edit_fim42(author, draft, effective_from=dt.date(2026, 7, 1))  # the window now starts after the as-of date
    GoldenCase.objects.filter(clause__code="FIM-4.2").delete()  # this test is about re-evaluation, not the library
    ruleset_submit(actor=author, version=draft)

    with django_capture_on_commit_callbacks(execute=True):
        ruleset_publish(actor=UserFactory(), version=draft, acknowledgements=ACKNOWLEDGED)

    latest = Evaluation.objects.filter(application=app).order_by("-pk").first()
    assert (latest.trigger, latest.rule_version.number) == ("publish", draft.number)
    assert (latest.previous_outcome, latest.outcome) == ("eligible", "not_eligible")
    from subsidies.selectors_applications import application_queue
    from tests.factories import officer

    changed = application_queue(officer("市经济信息委"), changed=True)
    assert [(a.pk, a.latest_previous_outcome, a.latest_outcome) for a in changed] == [(app.pk, "eligible", "not_eligible")]


def test_an_edited_draft_is_checked_with_its_new_content_not_a_stale_compilation():
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    from rules.selectors import build_rulebook

    before = check(build_rulebook(draft), STANDARD_FACTS, AS_OF)
    edit_fim42(author, draft, amount_yuan=700_000)
    after = check(build_rulebook(draft), STANDARD_FACTS, AS_OF)

    assert (cap_of(before), cap_of(after)) == (500_000, 700_000)


def test_loading_the_fixtures_again_never_undoes_a_publication_or_a_case_edit():
    from catalogue.loading import policies_load

    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    edit_fim42(author, draft, amount_yuan=800_000)
    expect_fim42_cap(800_000)
    ruleset_submit(actor=author, version=draft)
    ruleset_publish(actor=UserFactory(), version=draft, acknowledgements=ACKNOWLEDGED)

    report = policies_load()

    assert not report.new_version
    assert current_version().number == draft.number
    assert set(GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False)
               .values_list("amount_yuan", flat=True)) == {800_000}


def test_an_old_decision_replays_with_its_own_version_after_a_new_publication(django_capture_on_commit_callbacks):
    owner = applicant()
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1, as_of=AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)
    stored = Evaluation.objects.get(application=app)
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    edit_fim42(author, draft, amount_yuan=800_000)
    expect_fim42_cap(800_000)
    ruleset_submit(actor=author, version=draft)
    ruleset_publish(actor=UserFactory(), version=draft, acknowledgements=ACKNOWLEDGED)

    replayed = check(rulebook_for_version(stored.rule_version), app.facts, stored.as_of)
    today = check(rulebook_for_version(current_version()), app.facts, stored.as_of)

    assert replayed == stored.result
    assert cap_of(replayed) == 500_000 and cap_of(today) == 800_000
