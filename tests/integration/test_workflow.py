"""The application workflow through its services: transitions, refusals, routing, history."""
import threading

import pytest
from django.db import connection

from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from subsidies.models import Application, Evaluation, RoutingRule
from subsidies.models.applications import Stage, Status
from subsidies.services import application_create, application_submit, application_transition
from subsidies.workflow import ACTIONS
from tests.factories import STANDARD_FACTS, OrganisationFactory, applicant, officer, standard_item

pytestmark = pytest.mark.django_db


def draft(user, clause="FIM-4.2", amount=400_000, **kwargs):
    kwargs.setdefault("achievement_key", standard_item())
    return application_create(actor=user, clause_code=clause, facts=STANDARD_FACTS, amount_requested_yuan=amount,
                              description="牵头制定国际标准", as_of=__import__("datetime").date(2026, 6, 1), **kwargs)


def submitted(user, django_capture_on_commit_callbacks, **kwargs):
    app = draft(user, **kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        return application_submit(actor=user, application_id=app.pk)


def test_submitting_routes_to_the_lead_bureau_and_stores_the_engines_evaluation(django_capture_on_commit_callbacks):
    user = applicant()

    app = submitted(user, django_capture_on_commit_callbacks)

    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert app.bureau.short_name_zh == "市经济信息委"
    evaluation = Evaluation.objects.get(application=app)
    assert evaluation.state == Evaluation.State.DONE
    assert evaluation.outcome == "eligible"
    assert evaluation.rule_version.number >= 1
    assert [e.action for e in app.events.order_by("pk")] == ["create", "submit"]


def test_submitting_twice_is_one_submission(django_capture_on_commit_callbacks):
    user = applicant()
    app = submitted(user, django_capture_on_commit_callbacks)

    again = application_submit(actor=user, application_id=app.pk)

    assert again.pk == app.pk
    assert app.events.filter(action="submit").count() == 1
    assert Evaluation.objects.filter(application=app).count() == 1


def test_the_same_idempotency_key_creates_one_draft():
    user = applicant()

    first = draft(user, idempotency_key="click-1")
    second = draft(user, idempotency_key="click-1")

    assert first.pk == second.pk
    assert Application.objects.filter(created_by=user).count() == 1


def test_requesting_more_than_the_cap_is_refused_naming_the_field():
    with pytest.raises(DomainError) as err:
        draft(applicant(), amount=500_001)

    assert (err.value.code, err.value.field) == ("amount_above_cap", "amount_requested_yuan")


def test_a_fixed_sum_clause_takes_exactly_its_sum():
    user = applicant()
    facts = {**STANDARD_FACTS, "municipal_single_champion_recognised_on": "2026-04-01"}

    app = application_create(actor=user, clause_code="FIM-6.1", facts=facts)

    assert app.amount_requested_yuan == 500_000
    with pytest.raises(DomainError):
        application_create(actor=user, clause_code="FIM-6.1", facts=facts, amount_requested_yuan=400_000)


def test_unknown_facts_are_refused_naming_the_fact():
    with pytest.raises(DomainError) as err:
        application_create(actor=applicant(), clause_code="FIM-4.2", facts={"no_such_fact": 1})

    assert err.value.field == "facts.no_such_fact"


def test_the_right_officer_approves_within_the_cap(django_capture_on_commit_callbacks):
    app = submitted(applicant(), django_capture_on_commit_callbacks)
    jxw = officer("市经济信息委")

    with django_capture_on_commit_callbacks(execute=True):
        app = application_transition(actor=jxw, application_id=app.pk, action="approve", amount_approved_yuan=450_000)

    assert app.status == Status.APPROVED
    assert app.amount_approved_yuan == 450_000
    event = app.events.get(action="approve")
    assert (event.actor, event.from_status, event.to_status) == (jxw, Status.SUBMITTED, Status.APPROVED)


def test_an_approved_amount_above_the_cap_is_refused(django_capture_on_commit_callbacks):
    app = submitted(applicant(), django_capture_on_commit_callbacks)

    with pytest.raises(DomainError) as err:
        application_transition(actor=officer("市经济信息委"), application_id=app.pk, action="approve",
                               amount_approved_yuan=500_001)

    assert err.value.field == "amount_approved_yuan"
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


def test_an_officer_of_another_bureau_cannot_decide(django_capture_on_commit_callbacks):
    app = submitted(applicant(), django_capture_on_commit_callbacks)

    with pytest.raises(NotAllowed):
        application_transition(actor=officer("市科技局"), application_id=app.pk, action="approve")


def test_rejecting_and_returning_need_a_reason(django_capture_on_commit_callbacks):
    app = submitted(applicant(), django_capture_on_commit_callbacks)
    jxw = officer("市经济信息委")

    for action in ("reject", "return"):
        with pytest.raises(DomainError) as err:
            application_transition(actor=jxw, application_id=app.pk, action=action, reason="  ")
        assert err.value.field == "reason"


def test_returned_applications_are_resubmitted_and_reevaluated(django_capture_on_commit_callbacks):
    user = applicant()
    app = submitted(user, django_capture_on_commit_callbacks)
    application_transition(actor=officer("市经济信息委"), application_id=app.pk, action="return", reason="补充标准文本")

    with django_capture_on_commit_callbacks(execute=True):
        app = application_transition(actor=user, application_id=app.pk, action="resubmit")

    assert app.status == Status.RESUBMITTED
    assert Evaluation.objects.filter(application=app).count() == 2


def test_a_decided_application_cannot_be_decided_again(django_capture_on_commit_callbacks):
    app = submitted(applicant(), django_capture_on_commit_callbacks)
    jxw = officer("市经济信息委")
    application_transition(actor=jxw, application_id=app.pk, action="approve")

    with pytest.raises(Conflict) as err:
        application_transition(actor=jxw, application_id=app.pk, action="reject", reason="late")

    assert err.value.code == "invalid_transition"


def test_a_stale_lock_version_is_a_conflict(django_capture_on_commit_callbacks):
    app = submitted(applicant(), django_capture_on_commit_callbacks)

    with pytest.raises(Conflict) as err:
        application_transition(actor=officer("市经济信息委"), application_id=app.pk, action="approve",
                               expected_lock_version=app.lock_version - 1)

    assert err.value.code == "stale"


def test_reassigning_moves_the_application_to_a_co_responsible_bureau(django_capture_on_commit_callbacks):
    app = submitted(applicant(), django_capture_on_commit_callbacks)

    app = application_transition(actor=officer("市经济信息委"), application_id=app.pk, action="reassign",
                                 to_bureau="市知识产权局", reason="标准类事项由知识产权局办理")

    assert app.bureau.short_name_zh == "市知识产权局"
    with pytest.raises(DomainError):
        application_transition(actor=officer("市知识产权局"), application_id=app.pk, action="reassign",
                               to_bureau="市科技局", reason="not a bureau of FIM-4")


def test_iic_applications_go_first_to_the_district_then_to_the_municipal_commission(django_capture_on_commit_callbacks):
    org = OrganisationFactory(district="渝北区")
    user = applicant(organisation=org)
    from tests.integration.test_carriers import IIC_FACTS, iic_parts_complete

    app = application_create(actor=user, clause_code="IIC-12", facts=IIC_FACTS)
    iic_parts_complete(user, app)  # 附件1 and 附件2: required before submitting
    with django_capture_on_commit_callbacks(execute=True):
        app = application_submit(actor=user, application_id=app.pk)
    assert (app.stage, app.district_bureau.short_name_zh) == (Stage.DISTRICT, "渝北区发展改革委")
    with pytest.raises(NotAllowed):
        application_transition(actor=officer("市发展改革委"), application_id=app.pk, action="approve")

    app = application_transition(actor=officer("渝北区发展改革委"), application_id=app.pk, action="recommend",
                                 reason="符合布局方向，择优推荐")
    with pytest.raises(NotAllowed):  # after the recommendation, the municipal commission decides
        application_transition(actor=officer("渝北区发展改革委"), application_id=app.pk, action="approve")
    app = application_transition(actor=officer("市发展改革委"), application_id=app.pk, action="approve")

    assert app.status == Status.APPROVED
    steps = [e.action for e in app.events.order_by("pk") if e.action in ACTIONS or e.action == "create"]
    assert steps == ["create", "submit", "recommend", "approve"]  # the plan's attachments come in between
    from carriers.models import IndustryInnovationCentre

    assert IndustryInnovationCentre.objects.get(application=app).name == IIC_FACTS["iic_proposed_name"]


def test_routing_follows_the_table_an_administrator_changes(django_capture_on_commit_callbacks):
    from catalogue.models import Bureau, Clause

    RoutingRule.objects.create(clause=Clause.objects.get(code="FIM-4.2"), bureau=Bureau.objects.get(short_name_zh="市知识产权局"))

    app = submitted(applicant(), django_capture_on_commit_callbacks)

    assert app.bureau.short_name_zh == "市知识产权局"


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_one_wins_the_other_gets_a_conflict(django_capture_on_commit_callbacks):
    from catalogue.loading import policies_load

    policies_load()
    app = submitted(applicant(), django_capture_on_commit_callbacks)
    officers = [officer("市经济信息委"), officer("市经济信息委")]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, action):
        try:
            barrier.wait()
            application_transition(actor=user, application_id=app.pk, action=action, reason="并发")
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(u, a)) for u, a in zip(officers, ("approve", "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["invalid_transition", "ok"]
    app.refresh_from_db()
    assert app.status in (Status.APPROVED, Status.REJECTED)
    assert app.events.filter(action__in=["approve", "reject"]).count() == 1


def test_a_co_responsible_bureau_is_consulted_sees_the_application_and_answers(django_capture_on_commit_callbacks):
    from subsidies.selectors_applications import visible_applications
    from subsidies.services.consultations import application_consult, consultation_answer

    app = submitted(applicant(), django_capture_on_commit_callbacks)
    ipo = officer("市知识产权局")
    assert not visible_applications(ipo).filter(pk=app.pk).exists()

    consultation = application_consult(actor=officer("市经济信息委"), application_id=app.pk, bureau="市知识产权局",
                                       question="该国际标准是否已正式发布？")
    consultation_answer(actor=ipo, application_id=app.pk, consultation_id=consultation.pk, answer="已于2026年3月发布")

    assert visible_applications(ipo).filter(pk=app.pk).exists()
    assert [e.action for e in app.events.order_by("pk")][-2:] == ["consult", "answer"]
    with pytest.raises(Conflict):
        consultation_answer(actor=ipo, application_id=app.pk, consultation_id=consultation.pk, answer="again")
    with pytest.raises(DomainError) as err:
        application_consult(actor=officer("市经济信息委"), application_id=app.pk, bureau="市科技局", question="?")
    assert err.value.field == "bureau"
