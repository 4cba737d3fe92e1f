"""Writes on the case library: an administrator adds a case or changes what a case expects.

A policy change changes its expected outcomes too (raising a cap moves the cases that expect the old
cap), so the library is edited beside the draft and checked by `ruleset_publish`. Facts are validated
against the vocabulary as an applicant's would be.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from policy_portal.exceptions import DomainError, NotFound

from .models import GoldenCase
from .operators import FactError, normalise_facts
from .selectors import fact_specs

logger = logging.getLogger(__name__)
UNSET = object()
MAX_AMOUNT = 10**15


def _check_expected(expected) -> str:
    if expected not in GoldenCase.Expected.values:
        raise DomainError("invalid_choice", field="expected")
    return expected


def _check_amount(amount_yuan):
    if amount_yuan is None:
        return None
    if isinstance(amount_yuan, bool) or not isinstance(amount_yuan, int) or not 0 < amount_yuan <= MAX_AMOUNT:
        raise DomainError("invalid_amount", field="amount_yuan")
    return amount_yuan


def _check_facts(facts) -> dict:
    try:
        normalise_facts(fact_specs(), facts)
    except FactError as exc:
        raise DomainError(exc.code, field=exc.field, **exc.params) from None
    return facts


def _check_as_of(as_of) -> dt.date:
    if not isinstance(as_of, dt.date):
        raise DomainError("invalid_date", field="as_of")
    return as_of


@transaction.atomic
def golden_case_create(
    *, actor, name: str, clause_code: str, as_of: dt.date, facts: dict, expected: str, amount_yuan: int | None = None,
) -> GoldenCase:
    """A new case in the library (source empty: loading the fixtures never touches it)."""
    from catalogue.models import Clause

    name = (name or "").strip()
    limit = GoldenCase._meta.get_field("name").max_length
    if not name:
        raise DomainError("required", field="name")
    if len(name) > limit:
        raise DomainError("too_long", field="name", limit=limit)
    if GoldenCase.objects.filter(name=name).exists():
        raise DomainError("duplicate_name", field="name")
    clause = Clause.objects.filter(code=clause_code).first()
    if clause is None:
        raise DomainError("unknown_clause", field="clause", clause=clause_code)
    if not clause.evaluated:
        raise DomainError("clause_not_evaluated", field="clause", clause=clause_code)
    case = GoldenCase.objects.create(
        name=name, clause=clause, as_of=_check_as_of(as_of), facts=_check_facts(facts),
        expected=_check_expected(expected), amount_yuan=_check_amount(amount_yuan),
    )
    logger.info("golden case %s added by %s", case.pk, actor)
    return case


@transaction.atomic
def golden_case_update(*, actor, case_id: int, expected=UNSET, amount_yuan=UNSET, as_of=UNSET, facts=UNSET) -> GoldenCase:
    """Change what a case expects (or its facts and date); fields not given stay as they are."""
    case = GoldenCase.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("not_found", field="id")
    if expected is not UNSET:
        case.expected = _check_expected(expected)
    if amount_yuan is not UNSET:
        case.amount_yuan = _check_amount(amount_yuan)
    if as_of is not UNSET:
        case.as_of = _check_as_of(as_of)
    if facts is not UNSET:
        case.facts = _check_facts(facts)
    case.save()
    logger.info("golden case %s changed by %s", case.pk, actor)
    return case
