"""Routing: which bureau receives an application. The table (RoutingRule) is data; the default is the clause's lead bureau."""
from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Bureau, Clause
from policy_portal.exceptions import DomainError

from .models import RoutingRule
from .models.applications import Stage


@dataclass(frozen=True)
class Route:
    bureau: Bureau  # the deciding bureau
    stage: str
    district_bureau: Bureau | None = None  # first-stage reviewer for two-stage clauses


def district_bureau_for(district: str) -> Bureau | None:
    return Bureau.objects.filter(level=Bureau.Level.DISTRICT, district=district).first()


def route_for(clause: Clause, *, lead_bureau: Bureau, district: str) -> Route:
    rule = RoutingRule.objects.filter(clause=clause).select_related("bureau").first()
    deciding = rule.bureau if rule else lead_bureau
    if rule and rule.two_stage:
        district_bureau = district_bureau_for(district)
        if district_bureau is None:
            raise DomainError("no_district_authority", field="organisation.district", district=district or "—")
        return Route(bureau=deciding, stage=Stage.DISTRICT, district_bureau=district_bureau)
    return Route(bureau=deciding, stage=Stage.SINGLE)
