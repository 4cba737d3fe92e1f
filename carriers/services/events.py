"""The registers' audit trail: one CarrierEvent per write, in the writer's transaction."""
from __future__ import annotations

from accounts.selectors import bureau_of

from ..models import CarrierEvent


def carrier_event(*, kind: str, object_id: int, action: str, actor=None, data: dict | None = None) -> CarrierEvent:
    return CarrierEvent.objects.create(
        kind=kind, object_id=object_id, action=action, actor=actor if getattr(actor, "pk", None) else None,
        bureau=bureau_of(actor) if actor is not None else None, data=data or {},
    )
