"""Fact types and condition operators: which operator fits which type, and how values are normalised.

Everything the engine sees passes through `normalise_facts` first: durable-rules compares
numbers and strings as text and cannot parse floats written with an exponent, so every
value reaching it is a bool, an int or a string (dates as epoch days, ratios as integer
hundredths of a percent, money as integer yuan).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from policy_portal.exceptions import DomainError
from policy_portal.messages import Message

EPOCH = dt.date(1970, 1, 1)
MAX_TEXT = 200
MAX_LIST = 50
# Whole numbers are bounded well inside durable-rules' safe range (|n| < 2**53) unless a fact says more narrowly.
INT_BOUND = 10**15


class FactType(models.TextChoices):
    BOOL = "bool", _("Yes / no")
    INT = "int", _("Whole number")
    MONEY = "money", _("Amount in yuan")
    RATIO = "ratio", _("Percentage (up to 2 decimals)")
    DATE = "date", _("Date")
    ENUM = "enum", _("One of a list")
    MULTI = "multi_enum", _("Several of a list")
    TEXT = "text", _("Text")


class Operator(models.TextChoices):
    EQ = "eq", _("equals")
    NEQ = "neq", _("does not equal")
    IN = "in", _("is one of")
    NOT_IN = "not_in", _("is none of")
    GT = "gt", _("greater than")
    GTE = "gte", _("at least")
    LT = "lt", _("less than")
    LTE = "lte", _("at most")
    CONTAINS = "contains", _("includes")
    CONTAINS_ALL = "contains_all", _("includes all of")
    CONTAINS_ANY = "contains_any", _("includes any of")
    IN_WINDOW = "in_window", _("falls within the clause's validity window")
    LIKE = "like", _("matches the pattern (* = one or more characters other than spaces)")
    EXISTS = "exists", _("is stated")
    REVIEW = "review", _("needs an officer's judgement")


NUMERIC = {FactType.INT, FactType.MONEY, FactType.RATIO, FactType.DATE}
OPERATORS_BY_TYPE: dict[str, set[str]] = {
    FactType.BOOL: {Operator.EQ, Operator.NEQ},
    FactType.INT: {Operator.EQ, Operator.NEQ, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE},
    FactType.MONEY: {Operator.EQ, Operator.NEQ, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE},
    FactType.RATIO: {Operator.EQ, Operator.NEQ, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE},
    FactType.DATE: {Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.IN_WINDOW},
    FactType.ENUM: {Operator.EQ, Operator.NEQ, Operator.IN, Operator.NOT_IN},
    FactType.MULTI: {Operator.CONTAINS, Operator.CONTAINS_ALL, Operator.CONTAINS_ANY},
    FactType.TEXT: {Operator.EQ, Operator.NEQ, Operator.LIKE},
}
for _ops in OPERATORS_BY_TYPE.values():
    _ops.update({Operator.EXISTS, Operator.REVIEW})
LIST_OPERATORS = {Operator.IN, Operator.NOT_IN, Operator.CONTAINS_ALL, Operator.CONTAINS_ANY}
VALUELESS_OPERATORS = {Operator.IN_WINDOW, Operator.EXISTS, Operator.REVIEW}


@dataclass(frozen=True)
class FactSpec:
    code: str
    type: str
    label_zh: str = ""
    label_en: str = ""
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None


class FactError(DomainError):
    """A stated value that cannot be used (400); `field` names the fact (facts.<code>, as_of, …)."""

    def __init__(self, field: str, code: str, **params):
        super().__init__(code, "", field, **params)

    def __str__(self):
        return f"{self.field}: {self.detail}"


PERCENTAGE = Message("expected_percentage")


def _type_label(fact_type: str):
    try:
        return FactType(fact_type).label
    except ValueError:
        return fact_type


def date_to_days(value: dt.date) -> int:
    return (value - EPOCH).days


def days_to_date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=days)


def parse_iso_date(raw, field_name: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise FactError(field_name, "invalid_date")
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise FactError(field_name, "invalid_date") from None
    if not (1900 <= value.year <= 2200):
        raise FactError(field_name, "invalid_date")
    return value


def _ratio_to_hundredths(raw, field_name: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise FactError(field_name, "invalid_type", expected=PERCENTAGE)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise FactError(field_name, "invalid_type", expected=PERCENTAGE) from None
    if not value.is_finite():
        raise FactError(field_name, "invalid_type", expected=PERCENTAGE)
    if value.adjusted() > 12:  # quantize() fails on huge values; no percentage is that large
        raise FactError(field_name, "out_of_range")
    if value != value.quantize(Decimal("0.01")):
        raise FactError(field_name, "invalid_precision")
    return int(value * 100)


def normalise_value(spec: FactSpec, raw, field_name: str | None = None):
    """One stated value in the engine's representation, or FactError."""
    name = field_name or spec.code
    t = spec.type
    if raw is None:
        raise FactError(name, "null")
    if t == FactType.BOOL:
        if not isinstance(raw, bool):
            raise FactError(name, "invalid_type", expected=Message("expected_bool"))
        return raw
    if t in (FactType.INT, FactType.MONEY):
        if isinstance(raw, bool) or not isinstance(raw, int):
            if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
                raw = int(raw)
            else:
                raise FactError(name, "invalid_type", expected=Message("expected_whole_number"))
        value = raw
    elif t == FactType.RATIO:
        value = _ratio_to_hundredths(raw, name)
    elif t == FactType.DATE:
        return date_to_days(parse_iso_date(raw, name))
    elif t == FactType.ENUM:
        if not isinstance(raw, str) or raw not in spec.choices:
            raise FactError(name, "invalid_choice")
        return raw
    elif t == FactType.MULTI:
        if not isinstance(raw, list) or len(raw) > MAX_LIST:
            raise FactError(name, "invalid_type", expected=Message("expected_short_list", limit=MAX_LIST))
        bad = [v for v in raw if not isinstance(v, str) or v not in spec.choices]
        if bad:
            raise FactError(name, "invalid_choice")
        return sorted(set(raw))
    elif t == FactType.TEXT:
        if not isinstance(raw, str) or len(raw) > MAX_TEXT:
            raise FactError(name, "invalid_type", expected=Message("expected_short_text", limit=MAX_TEXT))
        return raw.strip()
    else:  # pragma: no cover - FactType is closed
        raise FactError(name, "invalid_type", expected=t)
    lo = spec.min_value if spec.min_value is not None else (0 if t in (FactType.MONEY, FactType.RATIO) else -INT_BOUND)
    if value < lo:
        raise FactError(name, "out_of_range")
    hi = spec.max_value
    if t == FactType.RATIO and hi is None:
        hi = 10000
    if hi is None:
        hi = INT_BOUND
    if value > hi:
        raise FactError(name, "out_of_range")
    return value


def normalise_facts(vocabulary: dict[str, FactSpec], facts) -> dict:
    """Validate an applicant's facts against the vocabulary; raise FactError naming the first bad field."""
    if not isinstance(facts, dict):
        raise FactError("facts", "invalid_type", expected=Message("expected_object"))
    out = {}
    for code, raw in facts.items():
        spec = vocabulary.get(code)
        if spec is None:
            raise FactError(f"facts.{code}", "unknown_fact", fact=code)
        out[code] = normalise_value(spec, raw, f"facts.{code}")
    return out


def normalise_condition_value(spec: FactSpec, operator: str, value):
    """A condition's value in the engine's representation; raise FactError (field 'value') when it does not fit."""
    if operator not in OPERATORS_BY_TYPE[spec.type]:
        raise FactError("operator", "operator_mismatch", operator=operator, type=_type_label(spec.type))
    if operator in VALUELESS_OPERATORS:
        if value not in (None, "", []):
            raise FactError("value", "unexpected_value", operator=operator)
        return None
    if operator == Operator.LIKE:
        if not isinstance(value, str) or "*" not in value or len(value) > MAX_TEXT:
            raise FactError("value", "invalid_pattern")
        return value
    if spec.type == FactType.MULTI:
        item_spec = FactSpec(spec.code, FactType.ENUM, choices=spec.choices)
        if operator == Operator.CONTAINS:
            return normalise_value(item_spec, value, "value")
        if not isinstance(value, list) or not value:
            raise FactError("value", "invalid_type", expected=Message("expected_non_empty_list"))
        return sorted({normalise_value(item_spec, v, "value") for v in value})
    if operator in LIST_OPERATORS:
        if not isinstance(value, list) or not value:
            raise FactError("value", "invalid_type", expected=Message("expected_non_empty_list"))
        return [normalise_value(spec, v, "value") for v in value]
    return normalise_value(spec, value, "value")
