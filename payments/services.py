"""公示 and 兑现: listing approved applications, objections and their answers, the end of the period, payment
orders, instalments paid and confirmed, cancellation. Keyword-only, atomic, each writing its PaymentEvent.

Budget movements go through programmes.budgets (row-locked): paying an instalment moves its amount from
committed to paid; cancelling an order releases what it still held. An objection upheld takes the application
back to review through subsidies' internal `reopen` action, which releases the approval's commitment.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import bureau_of, organisation_of, role_of
from catalogue.models import Clause
from notifications.services import notify
from policy_portal.exceptions import Conflict, DomainError, NotAllowed, NotFound
from policy_portal.uploads import shortened, sniff
from policy_portal.workdays import add_working_days
from programmes.budgets import budget_pay, budget_release
from subsidies.models import Application
from subsidies.models.applications import Status
from subsidies.money import committed_budget
from subsidies.services import application_transition

from .models import (Instalment, InstalmentPlan, Objection, ObjectionFile, PaymentEvent, PaymentOrder,
                     PublicityEntry, PublicityList)

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
LIVE = (PublicityEntry.State.LISTED, PublicityEntry.State.FINAL)


def _event(app_id: int, *, actor, action: str, **data) -> None:
    PaymentEvent.objects.create(application_id=app_id, actor=actor, action=action, data=data)


def _text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", field=field)
    if len(value) > limit:
        raise DomainError("too_long", field=field, limit=limit)
    return value


def _officer_of(actor, bureau_id: int) -> None:
    if role_of(actor) == Role.ADMIN:
        return
    bureau = bureau_of(actor)
    if bureau is None or bureau.pk != bureau_id:
        raise NotAllowed("not_publicity_bureau")


# ---------------------------------------------------------------- 公示


def listable(*, bureau_id: int, clause: Clause | None = None):
    """Approved applications decided by `bureau_id` that are on no live list yet."""
    apps = Application.objects.filter(status=Status.APPROVED, bureau_id=bureau_id).exclude(
        Exists(PublicityEntry.objects.filter(application=OuterRef("pk"), state__in=LIVE)))
    return apps.filter(clause=clause) if clause is not None else apps


@transaction.atomic
def publicity_create(*, actor, clause_code: str, title: str, working_days: int | None = None,
                     application_ids: list[int] | None = None, today: dt.date | None = None) -> PublicityList:
    """Publish the bureau's approved, not yet listed applications of a clause for objections."""
    bureau = bureau_of(actor)
    if bureau is None:
        raise NotAllowed("not_publicity_bureau")
    clause = Clause.objects.filter(code=clause_code).first()
    if clause is None:
        raise DomainError("unknown_clause", field="clause", clause=str(clause_code)[:16])
    title = _text(title, "title", 200)
    days = settings.PORTAL_PUBLICITY_WORKING_DAYS if working_days is None else working_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        raise DomainError("invalid_working_days", field="working_days", first=1, last=30)
    apps = listable(bureau_id=bureau.pk, clause=clause).select_for_update(of=("self",)).select_related("organisation")
    if application_ids is not None:
        apps = apps.filter(pk__in=application_ids)
    apps = list(apps.order_by("pk"))
    if not apps:
        raise Conflict("nothing_to_publish", field="clause", clause=clause.code)
    today = today or timezone.localdate()
    deadline = add_working_days(today, days)
    publicity = PublicityList.objects.create(title=title, clause=clause, bureau=bureau, working_days=days,
                                             starts_on=today, ends_on=deadline.due_on,
                                             provisional=deadline.provisional, created_by=actor)
    for app in apps:
        PublicityEntry.objects.create(publicity=publicity, application=app, organisation_name=app.organisation.name,
                                      credit_code=app.organisation.credit_code, clause_code=clause.code,
                                      amount_yuan=app.amount_approved_yuan or 0)
        _event(app.pk, actor=actor, action="publicity", publicity=publicity.title, ends_on=str(deadline.due_on))
    return publicity


def _address_key(address: str | None) -> str:
    return hashlib.sha256((address or "").encode()).hexdigest()[:16]


@transaction.atomic
def objection_lodge(*, publicity_id: int, entry_id: int, name: str, contact: str, reasons: str, files=(),
                    address: str | None = None, today: dt.date | None = None) -> Objection:
    """Anyone may object to an entry while the list is open; the bureau's officers are told."""
    publicity = PublicityList.objects.select_for_update().filter(pk=publicity_id).first()
    if publicity is None:
        raise NotFound("not_found")
    today = today or timezone.localdate()
    if publicity.status != PublicityList.Status.OPEN or not publicity.starts_on <= today <= publicity.ends_on:
        raise Conflict("publicity_closed", field="publicity", ends_on=publicity.ends_on)
    entry = publicity.entries.filter(pk=entry_id, state=PublicityEntry.State.LISTED).first()
    if entry is None:
        raise DomainError("unknown_entry", field="entry")
    name, contact = _text(name, "name", 60), _text(contact, "contact", 100)
    reasons = _text(reasons, "reasons", 5000)
    files = list(files)
    if len(files) > MAX_FILES:
        raise DomainError("too_many_objection_files", field="files", limit=MAX_FILES)
    for upload in files:
        if upload.size > MAX_FILE_BYTES:
            raise DomainError("file_too_large", field="files", limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    objection = Objection.objects.create(publicity=publicity, entry=entry, name=name, contact=contact,
                                         reasons=reasons, address=address)
    for upload in files:
        content_type = sniff(upload, field="files")
        stored = ObjectionFile(objection=objection, original_name=shortened(upload.name), content_type=content_type,
                               size=upload.size)
        stored.file.save(stored.original_name, upload, save=False)
        stored.save()
    _event(entry.application_id, actor=None, action="objection", objection=objection.pk, by=_address_key(address))
    officers = _bureau_officers(publicity.bureau_id)
    notify(recipients=officers, kind="payments.objection", key=f"objection:{objection.pk}",
           params={"title": publicity.title, "organisation": entry.organisation_name},
           url=f"/publicity/{publicity.pk}/")
    return objection


def _bureau_officers(bureau_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, profile__role=Role.OFFICER, profile__bureau_id=bureau_id)


def _applicants(organisation_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, profile__role=Role.APPLICANT,
                                           profile__organisation_id=organisation_id)


@transaction.atomic
def objection_answer(*, actor, objection_id: int, upheld: bool, answer: str) -> Objection:
    """The bureau answers an objection; upheld, the entry leaves the list and the application goes back to review."""
    objection = Objection.objects.select_for_update().select_related("publicity", "entry").filter(pk=objection_id).first()
    if objection is None:
        raise NotFound("not_found")
    _officer_of(actor, objection.publicity.bureau_id)
    if objection.state != Objection.State.OPEN:
        raise Conflict("objection_answered", field="answer")
    answer = _text(answer, "answer", 5000)
    objection.state = Objection.State.UPHELD if upheld else Objection.State.REJECTED
    objection.answer, objection.answered_by, objection.answered_at = answer, actor, timezone.now()
    objection.save()
    entry = PublicityEntry.objects.select_for_update().get(pk=objection.entry_id)
    _event(entry.application_id, actor=actor, action="objection_answered", objection=objection.pk,
           upheld=bool(upheld))
    if upheld and entry.state == PublicityEntry.State.LISTED:
        entry.state, entry.decided_at = PublicityEntry.State.WITHDRAWN, timezone.now()
        entry.save(update_fields=["state", "decided_at"])
        app = Application.objects.get(pk=entry.application_id)
        application_transition(actor=actor if role_of(actor) == Role.OFFICER else _any_officer(app),
                               application_id=app.pk, action="reopen", reason=answer, internal=True)
        notify(recipients=_applicants(app.organisation_id), kind="payments.reopened", key=f"reopened:{objection.pk}",
               params={"reference": app.reference}, url=f"/applications/{app.pk}/")
    return objection


def _any_officer(app):
    """An administrator answering: the reopen is recorded as taken by the system on the bureau's behalf."""
    officer = _bureau_officers(app.bureau_id).first()
    if officer is None:
        raise NotAllowed("not_publicity_bureau")
    return officer


def publicity_finalise(*, today: dt.date | None = None) -> int:
    """Celery beat, idempotent: entries of lists whose period has ended, with no open objection, become final
    and get their payment order. Returns how many became final."""
    today = today or timezone.localdate()
    done = 0
    for pk in PublicityList.objects.filter(status=PublicityList.Status.OPEN, ends_on__lt=today).values_list("pk", flat=True):
        done += _finalise_list(pk, today)
    return done


@transaction.atomic
def _finalise_list(pk: int, today: dt.date) -> int:
    publicity = PublicityList.objects.select_for_update(skip_locked=True).filter(
        pk=pk, status=PublicityList.Status.OPEN, ends_on__lt=today).first()
    if publicity is None:
        return 0
    done = 0
    entries = publicity.entries.select_for_update().filter(state=PublicityEntry.State.LISTED).exclude(
        Exists(Objection.objects.filter(entry=OuterRef("pk"), state=Objection.State.OPEN)))
    for entry in entries:
        app = Application.objects.get(pk=entry.application_id)
        if app.status != Status.APPROVED:  # taken back meanwhile by another path: it cannot become final
            entry.state, entry.decided_at = PublicityEntry.State.WITHDRAWN, timezone.now()
            entry.save(update_fields=["state", "decided_at"])
            continue
        entry.state, entry.decided_at = PublicityEntry.State.FINAL, timezone.now()
        entry.save(update_fields=["state", "decided_at"])
        _event(app.pk, actor=None, action="final", publicity=publicity.title)
        if entry.amount_yuan > 0:
            _order_create(entry, app, payer_id=publicity.bureau_id)
        done += 1
    if not publicity.entries.filter(state=PublicityEntry.State.LISTED).exists():
        publicity.status = PublicityList.Status.CLOSED
        publicity.save(update_fields=["status"])
    return done


# ---------------------------------------------------------------- 兑现


def split(amount_yuan: int, parts: list[dict]) -> list[tuple[str, str, int]]:
    """Whole yuan per part by percent; the last part takes what rounding leaves."""
    if not parts:
        return [("全额拨付", "Full payment", amount_yuan)]
    out, given = [], 0
    for i, part in enumerate(parts):
        amount = amount_yuan - given if i == len(parts) - 1 else amount_yuan * int(part["percent"]) // 100
        given += amount
        out.append((part.get("label_zh", ""), part.get("label_en", ""), amount))
    return [row for row in out if row[2] > 0]


def _order_create(entry: PublicityEntry, app: Application, *, payer_id: int) -> PaymentOrder:
    plan = InstalmentPlan.objects.filter(clause_id=app.clause_id).first()
    order = PaymentOrder.objects.create(application=app, entry=entry, amount_yuan=entry.amount_yuan, payer_id=payer_id)
    for position, (zh, en, amount) in enumerate(split(entry.amount_yuan, plan.parts if plan else []), start=1):
        Instalment.objects.create(order=order, position=position, label_zh=zh, label_en=en, amount_yuan=amount)
    _event(app.pk, actor=None, action="payment_order", amount_yuan=order.amount_yuan)
    notify(recipients=_applicants(app.organisation_id), kind="payments.final", key=f"final:{entry.pk}",
           params={"reference": app.reference, "amount_yuan": order.amount_yuan}, url="/payments/")
    return order


def _instalment_for_update(instalment_id: int) -> Instalment:
    instalment = Instalment.objects.select_for_update().select_related("order").filter(pk=instalment_id).first()
    if instalment is None:
        raise NotFound("not_found")
    return instalment


@transaction.atomic
def instalment_pay(*, actor, instalment_id: int, paid_on: dt.date, voucher_no: str) -> Instalment:
    """The payer bureau records an instalment paid (date, voucher number); the budget's committed becomes paid."""
    instalment = _instalment_for_update(instalment_id)
    order = PaymentOrder.objects.select_for_update().get(pk=instalment.order_id)
    _officer_of(actor, order.payer_id)
    voucher_no = _text(voucher_no, "voucher_no", 40)
    if not isinstance(paid_on, dt.date) or paid_on > timezone.localdate():
        raise DomainError("invalid_paid_on", field="paid_on")
    if instalment.status != Instalment.Status.SCHEDULED or order.status != PaymentOrder.Status.OPEN:
        raise Conflict("instalment_not_scheduled", field="status", status=Instalment.Status(instalment.status).label)
    earlier = order.instalments.filter(position__lt=instalment.position, status=Instalment.Status.SCHEDULED)
    if earlier.exists():
        raise Conflict("earlier_instalment_unpaid", field="instalment")
    instalment.status, instalment.paid_on, instalment.voucher_no, instalment.paid_by = (
        Instalment.Status.PAID, paid_on, voucher_no, actor)
    instalment.save()
    app = order.application
    budget, held = committed_budget(app)
    if budget is not None and held > 0:
        budget_pay(budget=budget, amount_yuan=min(held, instalment.amount_yuan), reference=app.reference, actor=actor)
    _event(app.pk, actor=actor, action="paid", instalment=instalment.position, amount_yuan=instalment.amount_yuan,
           voucher_no=voucher_no)
    notify(recipients=_applicants(app.organisation_id), kind="payments.paid", key=f"paid:{instalment.pk}",
           params={"reference": app.reference, "amount_yuan": instalment.amount_yuan}, url="/payments/")
    return instalment


@transaction.atomic
def instalment_confirm(*, actor, instalment_id: int) -> Instalment:
    """The applicant confirms receipt; once every instalment is confirmed the order is completed."""
    instalment = _instalment_for_update(instalment_id)
    order = PaymentOrder.objects.select_for_update().select_related("application").get(pk=instalment.order_id)
    organisation = organisation_of(actor)
    if organisation is None or organisation.pk != order.application.organisation_id:
        raise NotAllowed("not_owner")
    if instalment.status == Instalment.Status.CONFIRMED:
        return instalment  # confirming twice is one confirmation
    if instalment.status != Instalment.Status.PAID:
        raise Conflict("instalment_not_paid", field="status", status=Instalment.Status(instalment.status).label)
    instalment.status, instalment.confirmed_by, instalment.confirmed_at = (
        Instalment.Status.CONFIRMED, actor, timezone.now())
    instalment.save()
    if not order.instalments.exclude(status__in=[Instalment.Status.CONFIRMED, Instalment.Status.CANCELLED]).exists():
        order.status = PaymentOrder.Status.COMPLETED
        order.save(update_fields=["status", "updated_at"])
    _event(order.application_id, actor=actor, action="confirmed", instalment=instalment.position)
    return instalment


@transaction.atomic
def order_cancel(*, actor, order_id: int, reason: str) -> PaymentOrder:
    """Cancel what is not yet paid (e.g. clawback after a recognition is revoked), releasing its budget."""
    order = PaymentOrder.objects.select_for_update().select_related("application").filter(pk=order_id).first()
    if order is None:
        raise NotFound("not_found")
    _officer_of(actor, order.payer_id)
    reason = _text(reason, "reason", 2000)
    if order.status != PaymentOrder.Status.OPEN:
        raise Conflict("order_not_open", field="status", status=PaymentOrder.Status(order.status).label)
    order.instalments.filter(status=Instalment.Status.SCHEDULED).update(status=Instalment.Status.CANCELLED)
    order.status, order.cancel_reason = PaymentOrder.Status.CANCELLED, reason
    order.save(update_fields=["status", "cancel_reason", "updated_at"])
    app = order.application
    budget, held = committed_budget(app)
    if budget is not None and held > 0:
        budget_release(budget=budget, amount_yuan=held, reference=app.reference, actor=actor, reason=reason)
    _event(app.pk, actor=actor, action="cancelled", reason=reason)
    return order
