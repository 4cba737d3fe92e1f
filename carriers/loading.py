"""Loading the cited carrier data: 附件2's indicators (fixtures/iic_indicators.yaml) and the targets (fixtures/targets.yaml).

Idempotent: rows are upserted by key and compared; running twice changes nothing. Called
only by `manage.py load_carriers`.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from .models import IICIndicator, Target

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
INDICATORS_FILE = FIXTURES / "iic_indicators.yaml"
TARGETS_FILE = FIXTURES / "targets.yaml"
TARGET_OPS = {"gte", "gt"}


class CarrierFixtureError(ValueError):
    pass


def _read(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_indicators(path: Path = INDICATORS_FILE) -> dict:
    """The 附件2 table as the fixture states it; CarrierFixtureError when the points do not add up."""
    data = _read(path)
    keys: set[str] = set()
    for first in data["first_level"]:
        seconds = first["second_level"]
        if sum(s["points"] for s in seconds) != first["points"]:
            raise CarrierFixtureError(f"{first['key']}: second-level points do not add up to {first['points']}")
        for second in seconds:
            if sum(i["weight"] for i in second["indicators"]) != second["points"]:
                raise CarrierFixtureError(f"{second['key']}: weights do not add up to {second['points']}")
            for item in second["indicators"]:
                keys.add(item["key"])
    bonus = data["bonus"]
    all_keys = [f["key"] for f in data["first_level"]] + [s["key"] for f in data["first_level"] for s in f["second_level"]]
    all_keys += list(keys) + [bonus["key"]] + [b["key"] for b in bonus["items"]]
    if len(all_keys) != len(set(all_keys)):
        raise CarrierFixtureError("indicator keys must be unique")
    return data


def read_targets(path: Path = TARGETS_FILE) -> list[dict]:
    rows = _read(path)["targets"]
    seen = set()
    for row in rows:
        if row["op"] not in TARGET_OPS:
            raise CarrierFixtureError(f"{row['key']} {row['year']}: op must be one of {sorted(TARGET_OPS)}")
        if (row["key"], row["year"]) in seen:
            raise CarrierFixtureError(f"{row['key']} {row['year']}: listed twice")
        seen.add((row["key"], row["year"]))
    return rows


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _upsert(counts: dict, model, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        counts["created"] += 1
        return model.objects.create(**lookup, **values)
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    return obj


def indicators_load(data: dict | None = None) -> dict:
    data = data or read_indicators()
    counts = {"created": 0, "updated": 0}
    common = {"document": data["document"], "article": str(data["article"]),
              "effective_from": _date(data["effective_from"]), "effective_to": _date(data.get("effective_to"))}

    def row(item, level, parent, position, points):
        return _upsert(counts, IICIndicator, {"key": item["key"]}, {
            "level": level, "parent": parent, "position": position, "name_zh": item["name_zh"],
            "name_en": item["name_en"], "points": points, **common,
        })

    position = 0
    for first in data["first_level"]:
        position += 1
        first_row = row(first, IICIndicator.Level.FIRST, None, position, first["points"])
        for second in first["second_level"]:
            position += 1
            second_row = row(second, IICIndicator.Level.SECOND, first_row, position, second["points"])
            for item in second["indicators"]:
                position += 1
                row(item, IICIndicator.Level.THIRD, second_row, position, item["weight"])
    bonus = data["bonus"]
    position += 1
    group = row(bonus, IICIndicator.Level.BONUS_GROUP, None, position, bonus["cap"])
    for item in bonus["items"]:
        position += 1
        row(item, IICIndicator.Level.BONUS, group, position, item["weight"])
    return counts


def targets_load(rows: list[dict] | None = None) -> dict:
    rows = rows if rows is not None else read_targets()
    counts = {"created": 0, "updated": 0}
    for position, item in enumerate(rows, start=1):
        _upsert(counts, Target, {"key": item["key"], "year": item["year"]}, {
            "document": item["document"], "article": str(item["article"]), "clause": item.get("clause") or "",
            "quote": item["quote"], "name_zh": item["name_zh"], "name_en": item["name_en"], "op": item["op"],
            "value": Decimal(str(item["value"])).quantize(Decimal("0.01")), "unit": item["unit"],
            "measure": item["measure"], "position": position,
        })
    return counts


@transaction.atomic
def carriers_load() -> dict:
    """Upsert the indicators and the targets; returns {"indicators": {created, updated}, "targets": {...}}."""
    return {"indicators": indicators_load(), "targets": targets_load()}


def load_into_report(report, root, context) -> None:
    """附件2's indicators and the PIC-3 / RIE targets as part of `manage.py load_policies`, counted in its report."""
    for name, part in carriers_load().items():
        if part.get("created"):
            report.created[f"carriers.{name}"] = part["created"]
        if part.get("updated"):
            report.updated[f"carriers.{name}"] = part["updated"]
