"""Writes on calls for applications: create and change a call and its materials, each audited.

A call is opened by an administrator or by an officer of the lead bureau (牵头单位) of every clause it
covers, as the current rule version names it.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import bureau_of, role_of
from catalogue.models import Clause
from policy_portal.exceptions import DomainError, NotAllowed
from policy_portal.messages import Message
from policy_portal.uploads import EXTENSIONS, shortened, sniff
from rules.models import ClauseRule
from rules.selectors import current_version

from .models import Call, CallEvent, Material

STAGES = ("single", "district", "city", "appeal")  # "appeal": the review of an appeal (复核)
MAX_REVIEW_DAYS = 120


def may_manage(actor, clause_codes: list[str]) -> bool:
    if role_of(actor) == Role.ADMIN:
        return True
    bureau = bureau_of(actor)
    if bureau is None or not clause_codes:
        return False
    leads = set(ClauseRule.objects.filter(version=current_version(), clause__code__in=clause_codes)
                .values_list("lead_bureau_id", flat=True))
    return leads == {bureau.pk}


def _clauses(codes) -> list[Clause]:
    if not isinstance(codes, (list, tuple)) or not codes:
        raise DomainError("required", field="clauses")
    found = {c.code: c for c in Clause.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError("unknown_clause", field="clauses", clause=unknown[0])
    framework = [c.code for c in found.values() if not c.evaluated]
    if framework:
        raise DomainError("not_applicable", field="clauses", clause=framework[0])
    return list(found.values())


def _window(opens_at: dt.datetime, closes_at: dt.datetime | None) -> None:
    if opens_at is None or timezone.is_naive(opens_at):
        raise DomainError("invalid_datetime", field="opens_at")
    if closes_at is not None and (timezone.is_naive(closes_at) or closes_at <= opens_at):
        raise DomainError("call_window", field="closes_at")


def _review_days(value) -> dict:
    value = value or {}
    if not isinstance(value, dict) or set(value) - set(STAGES):
        raise DomainError("invalid_type", field="review_days", expected=Message("expected_review_days", stages=list(STAGES)))
    for stage, days in value.items():
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_REVIEW_DAYS:
            raise DomainError("out_of_range", field=f"review_days.{stage}")
    return value


def _materials(items) -> list[dict]:
    if not isinstance(items, list):
        raise DomainError("invalid_type", field="materials", expected=Message("expected_list"))
    out, names = [], set()
    for i, item in enumerate(items):
        where = f"materials[{i}]"
        name = (item.get("name_zh") or "").strip() if isinstance(item, dict) else ""
        if not name:
            raise DomainError("required", field=f"{where}.name_zh")
        if len(name) > 100:
            raise DomainError("too_long", field=f"{where}.name_zh", limit=100)
        if name in names:
            raise DomainError("duplicate", field=f"{where}.name_zh", name=name)
        names.add(name)
        extensions = [e.lower() for e in item.get("extensions") or [".pdf"]]
        if not extensions or any(e not in EXTENSIONS for e in extensions):
            raise DomainError("file_type_not_allowed", field=f"{where}.extensions", allowed=sorted(EXTENSIONS))
        out.append({"name_zh": name, "name_en": (item.get("name_en") or "").strip()[:160],
                    "required": bool(item.get("required", True)), "extensions": extensions})
    return out


@transaction.atomic
def call_create(*, actor, title_zh: str, clause_codes: list[str], opens_at: dt.datetime,
                closes_at: dt.datetime | None = None, title_en: str = "", guide_zh: str = "", guide_en: str = "",
                review_days: dict | None = None, appeal_days: int = 15, materials: list | None = None) -> Call:
    title_zh = (title_zh or "").strip()
    if not title_zh:
        raise DomainError("required", field="title_zh")
    if len(title_zh) > 200:
        raise DomainError("too_long", field="title_zh", limit=200)
    clauses = _clauses(clause_codes)
    if not may_manage(actor, [c.code for c in clauses]):
        raise NotAllowed("not_lead_bureau")
    _window(opens_at, closes_at)
    if isinstance(appeal_days, bool) or not isinstance(appeal_days, int) or not 1 <= appeal_days <= 60:
        raise DomainError("out_of_range", field="appeal_days")
    call = Call.objects.create(title_zh=title_zh, title_en=(title_en or "").strip()[:250], opens_at=opens_at,
                               closes_at=closes_at, guide_zh=guide_zh or "", guide_en=guide_en or "",
                               review_days=_review_days(review_days), appeal_days=appeal_days, created_by=actor)
    call.clauses.set(clauses)
    Material.objects.bulk_create([Material(call=call, position=i, **m) for i, m in enumerate(_materials(materials or []))])
    CallEvent.objects.create(call=call, actor=actor, action="create",
                             data={"clauses": sorted(c.code for c in clauses), "opens_at": opens_at.isoformat(),
                                   "closes_at": closes_at.isoformat() if closes_at else None})
    return call


@transaction.atomic
def call_close_at(*, actor, call_id: int, closes_at: dt.datetime | None) -> Call:
    """Move a call's closing time (extend it, close it early, or make it rolling)."""
    call = Call.objects.select_for_update().get(pk=call_id)
    if not may_manage(actor, list(call.clauses.values_list("code", flat=True))):
        raise NotAllowed("not_lead_bureau")
    _window(call.opens_at, closes_at)
    before = call.closes_at
    call.closes_at = closes_at
    call.save(update_fields=["closes_at", "updated_at"])
    CallEvent.objects.create(call=call, actor=actor, action="close_at",
                             data={"before": before.isoformat() if before else None,
                                   "after": closes_at.isoformat() if closes_at else None})
    return call


@transaction.atomic
def material_template_set(*, actor, material_id: int, upload) -> Material:
    material = Material.objects.select_related("call").select_for_update(of=("self",)).get(pk=material_id)
    if not may_manage(actor, list(material.call.clauses.values_list("code", flat=True))):
        raise NotAllowed("not_lead_bureau")
    sniff(upload, "template")
    name = shortened(upload.name)
    material.template.save(name, upload, save=False)
    material.template_name = name
    material.save(update_fields=["template", "template_name"])
    CallEvent.objects.create(call=material.call, actor=actor, action="template", data={"material": material.name_zh})
    return material
