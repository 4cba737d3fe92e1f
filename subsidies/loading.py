"""The routing part of `manage.py load_policies`, registered with catalogue.loading in SubsidiesConfig.ready()."""
from __future__ import annotations

from pathlib import Path

from catalogue.loading import LoadReport, bureau_named, read_yaml
from catalogue.models import Clause

from .models import RoutingRule


def load_routing(report: LoadReport, root: Path, context: dict) -> None:
    """Default routing rows, created only where none exists (administrators own them afterwards)."""
    path = root / "routing.yaml"
    if not path.exists():
        return
    for row in read_yaml(path):
        clause = Clause.objects.get(code=row["clause"])
        _, created = RoutingRule.objects.get_or_create(
            clause=clause,
            defaults={"bureau": bureau_named(context["bureaus"], row["bureau"], f"routing {row['clause']}"),
                      "two_stage": bool(row.get("two_stage")), "note": row.get("note", "")},
        )
        report.count("RoutingRule", created, False)
