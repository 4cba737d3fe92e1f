"""Demo content for `manage.py seed_demo` (registered in PaymentsConfig.ready()): FIM-4.2 applications in every
state from enterprises in several districts, the year's FIM-4 budget, a publicity list ended and paid (one
instalment confirmed), an open one with an objection waiting for its answer. Runs once: a second run adds nothing."""
from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.credit_code import check_digit
from accounts.models import Organisation, Profile, Role
from programmes.budgets import budget_set
from subsidies.models import Application
from subsidies.services import application_create, application_submit, application_transition
from subsidies.services.appeals import application_appeal

from .models import Instalment, PublicityList
from .services import instalment_confirm, instalment_pay, objection_lodge, publicity_create, publicity_finalise

MARK = "【演示】"
FACTS = {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai",
         "intl_standard_role": "lead", "intl_standard_field": "embodied_ai",
         "intl_standard_published_on": "2026-03-01"}
FIRMS = [("重庆两江具身智能科技有限公司", "渝北区"), ("重庆江北低空经济科技有限公司", "江北区"),
         ("重庆渝中量子信息科技有限公司", "渝中区"), ("重庆九龙坡合成生物有限公司", "九龙坡区")]


def _credit_code(n: int) -> str:
    first17 = f"915001{90000000000 + n:011d}"
    return first17 + check_digit(first17)


def _firm_user(i: int, name: str, district: str):
    org, _ = Organisation.objects.get_or_create(credit_code=_credit_code(i), defaults={
        "name": name, "district": district, "org_type": "enterprise", "status": Organisation.Status.VERIFIED})
    user, created = get_user_model().objects.get_or_create(username=f"demo-firm-{i}")
    if created:
        user.set_unusable_password()
        user.save()
    Profile.objects.get_or_create(user=user, defaults={"role": Role.APPLICANT, "organisation": org})
    return user


_standards = itertools.count(1)


def _app(owner, amount: int, note: str) -> Application:
    """A FIM-4.2 application for a standard of its own (就新、不重复: the item is stated, and each is another)."""
    return application_create(actor=owner, clause_code="FIM-4.2", facts=FACTS, amount_requested_yuan=amount,
                              description=f"{MARK}{note}", as_of=dt.date(2026, 6, 1),
                              achievement_key=f"ISO/IEC {30000 + next(_standards)}:2026")


@transaction.atomic
def seed(*, users: dict) -> str:
    if Application.objects.filter(description__startswith=MARK).exists():
        return "already seeded"
    lead, admin = users["officer-jxw"], users["admin"]
    owners = [users["applicant"]] + [_firm_user(i, name, district) for i, (name, district) in enumerate(FIRMS, 1)]
    today = timezone.localdate()
    budget_set(actor=admin, measure_number=4, year=today.year, amount_yuan=8_000_000, reason="演示：年度预算")

    def submitted(owner, amount, note):
        app = _app(owner, amount, note)
        return application_submit(actor=owner, application_id=app.pk)

    def act(app, action, reason="", actor=lead):
        return application_transition(actor=actor, application_id=app.pk, action=action, reason=reason)

    _app(owners[0], 200_000, "草稿：尚未提交")
    submitted(owners[1], 300_000, "已提交，待审核")
    act(submitted(owners[2], 350_000, "审核中"), "start_review")
    act(submitted(owners[3], 250_000, "退回修改"), "return", "请补充标准发布证明")
    resubmitted = act(submitted(owners[4], 280_000, "重新提交"), "return", "请补充牵头单位证明")
    application_transition(actor=owners[4], application_id=resubmitted.pk, action="resubmit")
    act(submitted(owners[1], 150_000, "不予支持"), "reject", "标准尚未正式发布")
    appealed = act(submitted(owners[3], 180_000, "申请复核"), "reject", "未提供牵头起草证明")
    application_appeal(actor=owners[3], application_id=appealed.pk, reason="已补充国际标准化组织出具的牵头起草证明")
    withdrawn = submitted(owners[2], 120_000, "撤回")
    application_transition(actor=owners[2], application_id=withdrawn.pk, action="withdraw")

    approved = [act(submitted(owner, amount, "已批准"), "approve")
                for owner, amount in zip(owners, (500_000, 400_000, 450_000, 300_000))]
    ended = publicity_create(actor=lead, clause_code="FIM-4.2", title="2026年第一批未来产业政策兑现公示",
                             application_ids=[a.pk for a in approved[:2]], today=today - dt.timedelta(days=21))
    publicity_finalise(today=today)
    first, second = (Instalment.objects.filter(order__entry__publicity=ended).order_by("order_id", "position")
                     .values_list("pk", flat=True)[:2])
    instalment_pay(actor=lead, instalment_id=first, paid_on=today - dt.timedelta(days=3), voucher_no="渝财拨〔2026〕101号")
    instalment_confirm(actor=owners[0], instalment_id=first)
    instalment_pay(actor=lead, instalment_id=second, paid_on=today - dt.timedelta(days=1), voucher_no="渝财拨〔2026〕102号")
    open_list = publicity_create(actor=lead, clause_code="FIM-4.2", title="2026年第二批未来产业政策兑现公示",
                                 application_ids=[approved[2].pk])
    objection_lodge(publicity_id=open_list.pk, entry_id=open_list.entries.get().pk, name="张先生",
                    contact="023-6000 0000", reasons="该国际标准的牵头起草单位另有其他企业，请予核实。",
                    address="127.0.0.1")
    lists = PublicityList.objects.count()
    return f"{Application.objects.filter(description__startswith=MARK).count()} applications, {lists} publicity lists"
