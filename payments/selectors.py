"""Reads for 公示, payments and budgets, each scoped to who asks."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, role_of
from programmes.models import Budget

from .models import Instalment, Objection, PaymentOrder, PublicityEntry, PublicityList

PUBLIC_STATES = (PublicityEntry.State.LISTED, PublicityEntry.State.FINAL)


def publicity_lists(*, status: str | None = None) -> QuerySet[PublicityList]:
    """Newest first, each with its public entries (those taken off after an objection are not shown)."""
    qs = PublicityList.objects.select_related("clause", "bureau").prefetch_related(
        Prefetch("entries", queryset=PublicityEntry.objects.filter(state__in=PUBLIC_STATES).order_by("pk"),
                 to_attr="public_entries"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_on", "-pk")


def publicity_get(pk: int) -> PublicityList | None:
    return publicity_lists().filter(pk=pk).first()


def may_answer(user, publicity: PublicityList) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    bureau = bureau_of(user)
    return bureau is not None and bureau.pk == publicity.bureau_id


def objections_of(publicity: PublicityList) -> QuerySet[Objection]:
    return publicity.objections.select_related("entry").prefetch_related("files").order_by("pk")


def payment_orders(user) -> QuerySet[PaymentOrder]:
    """Applicants see their organisation's orders; officers their bureau's (as payer); administrators all."""
    qs = PaymentOrder.objects.select_related("application__clause", "application__organisation", "payer").prefetch_related(
        Prefetch("instalments", queryset=Instalment.objects.order_by("position")))
    role = role_of(user)
    if role == Role.ADMIN:
        pass
    elif role == Role.APPLICANT:
        qs = qs.filter(application__organisation=organisation_of(user))
    elif role == Role.OFFICER:
        qs = qs.filter(payer=bureau_of(user))
    else:
        return qs.none()
    return qs.order_by("-created_at", "-pk")


def budgets(*, year: int | None = None) -> QuerySet[Budget]:
    qs = Budget.objects.select_related("measure__document", "clause")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "measure__number", "clause__code")
