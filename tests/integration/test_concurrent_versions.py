"""Rule versions created at the same moment each get their own number (an advisory lock, not max+1 races)."""
from __future__ import annotations

import threading

import pytest
from django.db import connection

from rules.models import RuleVersion
from rules.services import ruleset_draft_create
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_ten_drafts_created_at_once_get_ten_numbers():
    from catalogue.loading import policies_load

    policies_load()
    authors = [UserFactory() for _ in range(10)]
    start, errors, numbers = threading.Barrier(10), [], []

    def create(author):
        try:
            start.wait()
            numbers.append(ruleset_draft_create(actor=author).number)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(a,)) for a in authors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert len(set(numbers)) == 10 and RuleVersion.objects.filter(number__in=numbers).count() == 10
