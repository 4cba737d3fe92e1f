"""Review of rule drafts: a rejected draft is amended and resubmitted by its author; the case library is shown case by
case before the publish button; a rollback is a reviewed draft carrying its case changes; an amount that differs
from its quoted text is acknowledged with a reason; and none of it can be bypassed by one administrator."""
import pytest
from django.contrib import admin
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from rules.models import DraftCaseChange, GoldenCase, RuleVersion
from rules.selectors import clause_edit_args, current_version
from rules.services import (
    clause_rule_edit,
    ruleset_amend,
    ruleset_draft_create,
    ruleset_publish,
    ruleset_reject,
    ruleset_rollback,
    ruleset_submit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FIM42_CASE = "the lead drafter of an international standard published in 2026 gets up to 50万元"


def rule_admin():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.RULE_ADMIN)
    return user


def page(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def set_fim42(actor, draft, amount):
    args = {**clause_edit_args(draft, "FIM-4.2"), "amount_yuan": amount}
    return clause_rule_edit(actor=actor, version=draft, clause_code="FIM-4.2", **args)


def move_fim42_cases(amount):
    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False).update(amount_yuan=amount)


def rejected_draft(author, reviewer, amount=800_000):
    draft = ruleset_draft_create(actor=author)
    set_fim42(author, draft, amount)
    ruleset_submit(actor=author, version=draft)
    return ruleset_reject(actor=reviewer, version=draft, note="keep the text's 50万元")


# ---------------------------------------------------------------- a rejected draft is amended and resubmitted


def test_a_rejected_draft_is_amended_by_its_author_resubmitted_and_published_by_the_reviewer():
    author, reviewer = UserFactory(), UserFactory()
    draft = rejected_draft(author, reviewer)

    with pytest.raises(NotAllowed):
        ruleset_amend(actor=reviewer, version=draft)  # the reviewer did not write it
    ruleset_amend(actor=author, version=draft, note="back to 50万元")
    set_fim42(author, draft, 500_000)
    ruleset_submit(actor=author, version=draft)
    with pytest.raises(NotAllowed):
        ruleset_publish(actor=author, version=draft)
    ruleset_publish(actor=reviewer, version=draft)

    assert current_version() == draft
    assert [e.action for e in draft.events.order_by("pk")] == [
        "draft", "edit", "submit", "reject", "amend", "edit", "submit", "publish"]


def test_only_a_rejected_version_can_be_amended():
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)

    with pytest.raises(Conflict):
        ruleset_amend(actor=author, version=draft)
    with pytest.raises(Conflict):
        ruleset_amend(actor=author, version=current_version())


def test_the_rejected_page_offers_its_author_amend_and_resubmit_and_the_reviewer_sees_the_cases_before_publishing():
    author, reviewer = rule_admin(), rule_admin()
    draft = rejected_draft(author, reviewer)
    as_author, as_reviewer = page(author), page(reviewer)

    rejected = as_author.get(f"/rules/versions/{draft.number}/").content.decode()
    seen_by_reviewer = as_reviewer.get(f"/rules/versions/{draft.number}/").content.decode()
    refused = as_reviewer.post(f"/rules/versions/{draft.number}/amend/", follow=True).content.decode()
    amended = as_author.post(f"/rules/versions/{draft.number}/amend/")
    as_author.post(f"/rules/versions/{draft.number}/submit/")
    review = as_reviewer.get(f"/rules/versions/{draft.number}/").content.decode()

    assert "修改并重新提交" in rejected and "keep the text&#x27;s 50万元" in rejected
    assert "修改并重新提交" not in seen_by_reviewer
    assert "只有起草或修改过此版本的管理员" in refused
    assert amended.status_code == 302
    # before the publish button: the failing case by name, then the form
    assert 'id="case-results"' in review and 'data-failed="' in review and FIM42_CASE in review
    assert review.index('id="case-results"') < review.index(f'action="/rules/versions/{draft.number}/publish/"')


def test_the_static_checks_run_the_case_library_and_list_each_case_on_the_page_and_in_the_api():
    author = rule_admin()
    draft = ruleset_draft_create(actor=author)
    set_fim42(author, draft, 800_000)

    body = page(author).get(f"/rules/versions/{draft.number}/checks/").content.decode()
    data = api(author).get(f"/api/v1/rules/versions/{draft.number}/checks/").json()

    failing = [c for c in data["cases"] if not c["passed"]]
    assert len(data["cases"]) == GoldenCase.objects.count()
    assert FIM42_CASE in [c["case"] for c in failing] and all(c["message_zh"] for c in failing)
    assert 'id="failing-case-list"' in body and FIM42_CASE in body and "个案例中有" in body


def test_the_api_amends_a_rejected_draft():
    author, reviewer = rule_admin(), rule_admin()
    draft = rejected_draft(author, reviewer)

    refused = api(reviewer).post(f"/api/v1/rules/versions/{draft.number}/amend/", {}, format="json")
    amended = api(author).post(f"/api/v1/rules/versions/{draft.number}/amend/", {"note": "fixed"}, format="json")
    again = api(author).post(f"/api/v1/rules/versions/{draft.number}/amend/", {}, format="json")

    assert refused.status_code == 403 and refused.json()["code"] == "author_only"
    assert amended.status_code == 200 and amended.json()["status"] == "draft"
    assert again.status_code == 409 and again.json()["code"] == "not_rejected"


# ---------------------------------------------------------------- rollback is a reviewed draft


def published_raise(amount=800_000):
    author, reviewer = UserFactory(), UserFactory()
    draft = ruleset_draft_create(actor=author)
    set_fim42(author, draft, amount)
    move_fim42_cases(amount)
    ruleset_submit(actor=author, version=draft)
    return ruleset_publish(actor=reviewer, version=draft, acknowledgements={"FIM-4.2": "raised by the bureau"})


def test_a_rollback_is_a_draft_carrying_the_case_changes_that_go_with_it():
    original = current_version()
    raised = published_raise()
    admin_user = UserFactory()

    rollback = ruleset_rollback(actor=admin_user, to_version=original, note="back to the text")

    changes = {c.case.name: c for c in DraftCaseChange.objects.filter(version=rollback).select_related("case")}
    assert rollback.status == RuleVersion.Status.DRAFT and current_version() == raised
    assert FIM42_CASE in changes
    assert changes[FIM42_CASE].before["amount_yuan"] == 800_000 and changes[FIM42_CASE].amount_yuan == 500_000
    assert GoldenCase.objects.get(name=FIM42_CASE).amount_yuan == 800_000  # nothing changes before publication


def test_a_rejected_rollback_leaves_the_library_and_the_current_version_alone():
    original = current_version()
    raised = published_raise()
    drafter, reviewer = UserFactory(), UserFactory()
    rollback = ruleset_rollback(actor=drafter, to_version=original)
    ruleset_submit(actor=drafter, version=rollback)

    ruleset_reject(actor=reviewer, version=rollback, note="not now")

    assert current_version() == raised and GoldenCase.objects.get(name=FIM42_CASE).amount_yuan == 800_000


def test_a_raised_cap_published_after_a_rollback_draft_is_not_blocked_by_it():
    """The library changes only when the rollback is published, so an unrelated draft still passes meanwhile."""
    original = current_version()
    published_raise()
    ruleset_rollback(actor=UserFactory(), to_version=original)
    author, reviewer = UserFactory(), UserFactory()
    unrelated = ruleset_draft_create(actor=author)
    ruleset_submit(actor=author, version=unrelated)

    ruleset_publish(actor=reviewer, version=unrelated, acknowledgements={"FIM-4.2": "as published before"})

    assert current_version() == unrelated


# bypasses: a rollback never publishes by one administrator, by any path

def test_bypass_the_rollback_service_publishes_nothing_and_its_drafter_cannot_publish_it():
    original = current_version()
    raised = published_raise()
    drafter = UserFactory()

    rollback = ruleset_rollback(actor=drafter, to_version=original)
    ruleset_submit(actor=drafter, version=rollback)
    with pytest.raises(NotAllowed):
        ruleset_publish(actor=drafter, version=rollback)

    assert current_version() == raised


def test_bypass_the_rollback_api_answers_a_draft_and_its_drafter_cannot_publish_it():
    original = current_version()
    raised = published_raise()
    drafter = api(rule_admin())

    rolled = drafter.post(f"/api/v1/rules/versions/{original.number}/rollback/", {"note": "back"}, format="json")
    number = rolled.json()["number"]
    drafter.post(f"/api/v1/rules/versions/{number}/submit/", {}, format="json")
    own = drafter.post(f"/api/v1/rules/versions/{number}/publish/", {}, format="json")

    assert rolled.status_code == 201 and rolled.json()["status"] == "draft" and not rolled.json()["current"]
    assert [c["case"] for c in rolled.json()["case_changes"]].count(FIM42_CASE) == 1
    assert own.status_code == 403 and current_version() == raised


def test_bypass_the_rollback_page_answers_a_draft_and_its_drafter_cannot_publish_it():
    original = current_version()
    raised = published_raise()
    drafter = page(rule_admin())

    rolled = drafter.post(f"/rules/versions/{original.number}/rollback/", {"note": "back"})
    rollback = RuleVersion.objects.order_by("-number").first()
    drafter.post(f"/rules/versions/{rollback.number}/submit/")
    own = drafter.post(f"/rules/versions/{rollback.number}/publish/", follow=True)

    assert rolled["Location"] == f"/rules/versions/{rollback.number}/" and rollback.source == "rollback"
    assert "另一位管理员" in own.content.decode() and current_version() == raised


def test_bypass_a_rollback_that_fails_the_case_library_is_not_published():
    original = current_version()
    published_raise()
    drafter, reviewer = UserFactory(), UserFactory()
    rollback = ruleset_rollback(actor=drafter, to_version=original)
    DraftCaseChange.objects.filter(version=rollback).delete()  # the library still expects 80万元
    ruleset_submit(actor=drafter, version=rollback)

    with pytest.raises(DomainError) as refused:
        ruleset_publish(actor=reviewer, version=rollback)

    assert refused.value.code == "golden_cases_failed"


def test_bypass_the_admin_has_no_rollback_and_cannot_change_rule_versions(admin_user):
    model_admin = admin.site._registry[RuleVersion]
    request = type("Request", (), {"user": admin_user, "GET": {}, "POST": {}})()

    assert not any("rollback" in name for name in model_admin.get_actions(request))
    assert not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request)
    assert DraftCaseChange not in admin.site._registry  # case changes are made with their draft only


def test_no_management_command_rolls_back():
    from django.core.management import get_commands

    assert not [name for name in get_commands() if "rollback" in name or "roll_back" in name]


# ---------------------------------------------------------------- an amount that differs from its quoted text


def test_an_amount_that_differs_from_the_quote_is_a_finding_the_reviewer_acknowledges_with_a_reason():
    author, reviewer = UserFactory(), UserFactory()
    draft = ruleset_draft_create(actor=author)
    set_fim42(author, draft, 800_000)
    move_fim42_cases(800_000)
    ruleset_submit(actor=author, version=draft)

    with pytest.raises(DomainError) as missing:
        ruleset_publish(actor=reviewer, version=draft)
    with pytest.raises(DomainError):
        ruleset_publish(actor=reviewer, version=draft, acknowledgements={"FIM-4.2": "  "})
    ruleset_publish(actor=reviewer, version=draft, acknowledgements={"FIM-4.2": "市经济信息委决定提高上限"})

    event = draft.events.get(action="publish")
    assert missing.value.code == "acknowledgement_required" and missing.value.field == "acknowledgements.FIM-4.2"
    assert event.data["acknowledged"]["FIM-4.2"]["reason"] == "市经济信息委决定提高上限"


def test_the_checks_page_and_api_say_the_figure_was_set_by_the_bureau_and_differs_from_the_document():
    author = rule_admin()
    draft = ruleset_draft_create(actor=author)
    set_fim42(author, draft, 800_000)

    body = page(author).get(f"/rules/versions/{draft.number}/checks/").content.decode()
    findings = api(author).get(f"/api/v1/rules/versions/{draft.number}/checks/").json()["findings"]

    finding = next(f for f in findings if f["code"] == "amount_differs_from_text")
    assert finding["clause"] == "FIM-4.2" and finding["severity"] == "warning"
    assert "由主管部门设定" in finding["message_zh"] and "最高50万元" in finding["message_zh"]
    assert 'data-code="amount_differs_from_text"' in body


def test_the_review_form_asks_a_reason_for_each_differing_amount_and_the_api_takes_them():
    author, reviewer = rule_admin(), rule_admin()
    draft = ruleset_draft_create(actor=author)
    set_fim42(author, draft, 800_000)
    move_fim42_cases(800_000)
    ruleset_submit(actor=author, version=draft)

    form = page(reviewer).get(f"/rules/versions/{draft.number}/").content.decode()
    refused = api(reviewer).post(f"/api/v1/rules/versions/{draft.number}/publish/", {}, format="json")
    published = api(reviewer).post(f"/api/v1/rules/versions/{draft.number}/publish/",
                                   {"acknowledgements": {"FIM-4.2": "bureau decision"}}, format="json")

    assert 'name="ack-FIM-4.2"' in form
    assert refused.status_code == 400 and refused.json()["field"] == "acknowledgements.FIM-4.2"
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_the_checker_and_the_library_say_plainly_the_figure_differs_from_the_document(client):
    published_raise()

    clause = client.get("/clauses/FIM-4.2/").content.decode()

    assert "此金额由主管部门设定，与政策原文所写的“最高50万元" in clause


def test_a_failing_case_is_an_error_of_the_static_checks_so_they_never_report_nothing_while_publishing_would_refuse():
    author = rule_admin()
    draft = ruleset_draft_create(actor=author)
    set_fim42(author, draft, 800_000)

    findings = api(author).get(f"/api/v1/rules/versions/{draft.number}/checks/").json()["findings"]

    failing = [f for f in findings if f["code"] == "case_fails"]
    assert failing and all(f["severity"] == "error" and f["clause"] == "FIM-4.2" for f in failing)
    assert "发布将被拒绝" in failing[0]["message_zh"]
