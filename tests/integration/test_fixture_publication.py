"""load_policies publishes only through the rules service: as the system actor, through the case gate, audited."""
from __future__ import annotations

import shutil

import pytest
import yaml

from catalogue.loading import FIXTURES, policies_load
from policy_portal.exceptions import DomainError
from rules.models import GoldenCase, RuleEvent, RuleVersion
from rules.selectors import current_version
from rules.services import ruleset_draft_create, ruleset_publish, ruleset_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixtures(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, root)
    return root


def change_fim42_cap(root, yuan: int) -> None:
    """Edit fixtures/clauses.yaml as a developer would: FIM-4.2's cap."""
    path = root / "clauses.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(c for c in data["clauses"] if c["code"] == "FIM-4.2")["amount_yuan"] = yuan
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fim42_cap(version: RuleVersion) -> int:
    return version.clause_rules.get(clause__code="FIM-4.2").amount_yuan


def test_a_changed_fixture_is_published_by_the_system_through_the_gate_with_its_events(fixtures):
    change_fim42_cap(fixtures, 500_000 - 1)  # the case library holds no case at this cap's boundary
    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False).update(amount_yuan=499_999)

    report = policies_load(root=fixtures)

    version = current_version()
    assert report.new_version and report.version == version.number
    assert version.source == "fixtures" and fim42_cap(version) == 499_999
    assert version.published_by.username == "system" and not version.published_by.is_active
    assert list(RuleEvent.objects.filter(version=version).order_by("pk").values_list("action", flat=True)) == [
        "draft", "submit", "publish"]


def test_a_changed_fixture_that_fails_the_case_library_is_refused_and_nothing_is_written(fixtures):
    change_fim42_cap(fixtures, 300_000)  # FIM-4.2's cases expect 50 万元
    before = current_version().number

    with pytest.raises(DomainError) as refused:
        policies_load(root=fixtures)

    assert refused.value.code == "golden_cases_failed" and "FIM-4.2" in refused.value.detail
    assert current_version().number == before
    assert not RuleVersion.objects.filter(number__gt=before).exists()


def test_a_changed_fixture_never_overrides_a_later_administrators_publication(fixtures):
    author, reviewer = UserFactory(), UserFactory()
    draft = ruleset_draft_create(actor=author, note="an administrator's change")
    ruleset_submit(actor=author, version=draft)
    ruleset_publish(actor=reviewer, version=draft)
    change_fim42_cap(fixtures, 499_999)

    report = policies_load(root=fixtures)

    assert current_version().number == draft.number
    waiting = RuleVersion.objects.get(source="fixtures", status=RuleVersion.Status.IN_REVIEW)
    assert fim42_cap(waiting) == 499_999 and not report.new_version
    assert f"v{waiting.number}" in report.notes[0]
    assert policies_load(root=fixtures).notes == []  # loading the same fixtures again changes nothing


def test_the_system_actor_cannot_publish_what_an_administrator_changed(fixtures):
    from rules.selectors import clause_edit_args
    from rules.services import clause_rule_edit, system_actor

    system, admin = system_actor(), UserFactory()
    draft = ruleset_draft_create(actor=system)
    draft.source = "fixtures"
    draft.save(update_fields=["source"])
    clause_rule_edit(actor=admin, version=draft, clause_code="FIM-4.2", **clause_edit_args(draft, "FIM-4.2"))
    ruleset_submit(actor=system, version=draft)

    with pytest.raises(DomainError) as refused:
        ruleset_publish(actor=system, version=draft)

    assert refused.value.code == "second_administrator_required"
