"""Test helper: a copy of the current rule version with some amounts changed, published or left as a draft.

Built with the rule services (draft, validated edit); publishing here skips the second administrator
and the case library on purpose, since these tests are about what the API serves, not the gate.
"""
from __future__ import annotations

from django.utils import timezone

from rules.models import RuleVersion
from rules.selectors import clause_edit_args, content_checksum, version_content
from rules.services import clause_rule_edit, ruleset_draft_create


def copy_current_version(*, amounts: dict[str, int] | None = None, status=RuleVersion.Status.PUBLISHED) -> RuleVersion:
    """A new version numbered after the newest, identical to the current one except for `amounts` (code → yuan)."""
    version = ruleset_draft_create(actor=None, note="test copy")
    for code, yuan in (amounts or {}).items():
        clause_rule_edit(actor=None, version=version, clause_code=code, **{**clause_edit_args(version, code), "amount_yuan": yuan})
    if status == RuleVersion.Status.PUBLISHED:
        version.status, version.published_at = status, timezone.now()
        version.checksum = content_checksum(version_content(version))
        version.save(update_fields=["status", "published_at", "checksum"])
    return version
