"""IIC-A2 scoring: pure functions over 附件2's indicator table (no queries, no clock).

A score sheet gives every one of the 27 third-level indicators a score from 0 to its
weight and each bonus item (加分项) a score from 0 to its weight; the bonus counts at most
its cap (≤10分). Totals come by second- and first-level indicator, the base (at most 100),
the bonus and the grand total (at most 110). A refusal is a DomainError naming the
indicator (field "scores.<key>" or "bonus.<key>").
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter

from policy_portal.exceptions import DomainError
from policy_portal.messages import Bilingual, Message

PRECISION = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Indicator:
    """A third-level indicator or a bonus item: scored from 0 to its weight."""

    key: str
    name_zh: str
    name_en: str
    weight: int
    parent: str


@dataclass(frozen=True)
class Group:
    """A first- or second-level indicator with its printed points and what it holds."""

    key: str
    name_zh: str
    name_en: str
    points: int
    children: tuple = ()


@dataclass(frozen=True)
class IndicatorTable:
    first_level: tuple[Group, ...]
    bonus: Group  # the 加分项: points is the cap, children the bonus items

    @property
    def second_level(self) -> tuple[Group, ...]:
        return tuple(s for f in self.first_level for s in f.children)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for s in self.second_level for i in s.children)

    @property
    def bonus_items(self) -> tuple[Indicator, ...]:
        return self.bonus.children

    @property
    def bonus_cap(self) -> int:
        return self.bonus.points

    @property
    def base_max(self) -> int:
        return sum(f.points for f in self.first_level)

    @property
    def max_total(self) -> int:
        return self.base_max + self.bonus_cap

    @classmethod
    def from_data(cls, data: Mapping) -> IndicatorTable:
        """From the fixture's structure (carriers.loading.read_indicators)."""
        firsts = []
        for f in data["first_level"]:
            seconds = tuple(
                Group(s["key"], s["name_zh"], s["name_en"], s["points"], tuple(
                    Indicator(i["key"], i["name_zh"], i["name_en"], i["weight"], s["key"]) for i in s["indicators"]))
                for s in f["second_level"]
            )
            firsts.append(Group(f["key"], f["name_zh"], f["name_en"], f["points"], seconds))
        b = data["bonus"]
        items = tuple(Indicator(i["key"], i["name_zh"], i["name_en"], i["weight"], b["key"]) for i in b["items"])
        return cls(tuple(firsts), Group(b["key"], b["name_zh"], b["name_en"], b["cap"], items))

    @classmethod
    def from_rows(cls, rows: Iterable) -> IndicatorTable:
        """From IICIndicator rows (any order; `position` orders them)."""
        rows = sorted(rows, key=lambda r: r.position)
        children: dict[int | None, list] = {}
        for r in rows:
            children.setdefault(r.parent_id, []).append(r)

        def leaf(r, parent_key):
            return Indicator(r.key, r.name_zh, r.name_en, r.points, parent_key)

        firsts, bonus = [], None
        for r in children.get(None, []):
            if r.level == "first":
                seconds = tuple(
                    Group(s.key, s.name_zh, s.name_en, s.points, tuple(leaf(i, s.key) for i in children.get(s.pk, [])))
                    for s in children.get(r.pk, [])
                )
                firsts.append(Group(r.key, r.name_zh, r.name_en, r.points, seconds))
            elif r.level == "bonus_group":
                bonus = Group(r.key, r.name_zh, r.name_en, r.points, tuple(leaf(i, r.key) for i in children.get(r.pk, [])))
        if not firsts or bonus is None:
            raise LookupError("The 附件2 indicators are not loaded (manage.py load_carriers).")
        return cls(tuple(firsts), bonus)


@dataclass(frozen=True)
class Totals:
    scores: dict[str, Decimal]
    bonus: dict[str, Decimal]
    by_second: dict[str, Decimal]
    by_first: dict[str, Decimal]
    base: Decimal
    bonus_raw: Decimal
    bonus_total: Decimal
    total: Decimal
    max_total: int = field(default=110)

    def as_dict(self) -> dict:
        def num(v: Decimal):
            return int(v) if v == v.to_integral_value() else float(v)

        return {
            "scores": {k: num(v) for k, v in self.scores.items()},
            "bonus": {k: num(v) for k, v in self.bonus.items()},
            "by_second_level": {k: num(v) for k, v in self.by_second.items()},
            "by_first_level": {k: num(v) for k, v in self.by_first.items()},
            "base_total": num(self.base),
            "bonus_claimed": num(self.bonus_raw),
            "bonus_total": num(self.bonus_total),
            "total": num(self.total),
            "max_total": self.max_total,
        }


def parse_score(raw, item: Indicator, field_name: str) -> Decimal:
    """One score as a Decimal within 0..weight, or a DomainError naming the indicator."""
    score = Message("expected_score", weight=item.weight)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise DomainError("required", field=field_name)
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise DomainError("invalid_type", field=field_name, expected=score)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise DomainError("invalid_type", field=field_name, expected=score) from None
    if not value.is_finite() or value.adjusted() > 6:
        raise DomainError("invalid_type", field=field_name, expected=score)
    if value != value.quantize(PRECISION):
        raise DomainError("invalid_precision", field=field_name)
    name = Bilingual(item.name_zh, item.name_en)
    if value < 0:
        raise DomainError("below_zero", field=field_name, name=name)
    if value > item.weight:
        raise DomainError("above_weight", field=field_name, name=name, weight=item.weight)
    return value.quantize(PRECISION)


def validate_sheet(table: IndicatorTable, scores, bonus=None) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Every third-level indicator scored within its weight; bonus items (optional, default 0) within theirs."""
    if not isinstance(scores, Mapping):
        raise DomainError("invalid_type", field="scores", expected=Message("expected_object"))
    if bonus is None:
        bonus = {}
    if not isinstance(bonus, Mapping):
        raise DomainError("invalid_type", field="bonus", expected=Message("expected_object"))
    known = {i.key for i in table.indicators}
    for key in scores:
        if key not in known:
            raise DomainError("unknown_indicator", field=f"scores.{key}", key=key)
    known_bonus = {i.key for i in table.bonus_items}
    for key in bonus:
        if key not in known_bonus:
            raise DomainError("unknown_indicator", field=f"bonus.{key}", key=key)
    clean = {i.key: parse_score(scores.get(i.key), i, f"scores.{i.key}") for i in table.indicators}
    clean_bonus = {
        i.key: parse_score(bonus[i.key], i, f"bonus.{i.key}") if bonus.get(i.key) not in (None, "") else ZERO.quantize(PRECISION)
        for i in table.bonus_items
    }
    return clean, clean_bonus


def score_sheet(table: IndicatorTable, scores, bonus=None) -> Totals:
    """Validate a sheet and total it by second- and first-level indicator; the bonus counts at most its cap."""
    clean, clean_bonus = validate_sheet(table, scores, bonus)
    by_second = {s.key: sum((clean[i.key] for i in s.children), ZERO) for s in table.second_level}
    by_first = {f.key: sum((by_second[s.key] for s in f.children), ZERO) for f in table.first_level}
    base = sum(by_first.values(), ZERO)
    bonus_raw = sum(clean_bonus.values(), ZERO)
    bonus_total = min(bonus_raw, Decimal(table.bonus_cap))
    return Totals(clean, clean_bonus, by_second, by_first, base, bonus_raw, bonus_total, base + bonus_total,
                  table.max_total)


def rank(entries: Iterable, *, name=itemgetter(0), total=itemgetter(1)) -> list[tuple[int, object]]:
    """(position, entry), highest total first; equal totals are ordered by name. Entries default to (name, total)."""
    ordered = sorted(entries, key=lambda e: (-Decimal(total(e)), name(e)))
    return list(enumerate(ordered, start=1))
