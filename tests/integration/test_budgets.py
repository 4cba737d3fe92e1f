"""Budgets per measure and year: set by the lead bureau, never overspent, even by 20 approvals at once."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from accounts.models import Profile, Role
from catalogue.models import Clause
from policy_portal.exceptions import Conflict, NotAllowed
from programmes.budgets import budget_commit, budget_for, budget_pay, budget_release, budget_set
from programmes.models import Budget, BudgetEntry
from tests.factories import UserFactory, officer


def head(bureau: str):
    user = officer(bureau)
    Profile.objects.filter(user=user).update(is_bureau_head=True)
    user.refresh_from_db()
    return user


@pytest.mark.django_db
def test_the_lead_bureau_sets_a_measures_budget_and_every_change_is_kept():
    lead = officer("市经济信息委")

    budget_set(actor=lead, measure_number=4, year=2026, amount_yuan=3_000_000)
    budget = budget_set(actor=lead, measure_number=4, year=2026, amount_yuan=5_000_000, reason="追加")

    assert budget.amount_yuan == 5_000_000
    assert list(budget.entries.order_by("pk").values_list("kind", "amount_yuan")) == [("set", 3_000_000), ("set", 2_000_000)]
    assert budget_for(Clause.objects.get(code="FIM-4.2"), 2026) == budget
    with pytest.raises(NotAllowed):
        budget_set(actor=officer("市科技局"), measure_number=4, year=2026, amount_yuan=1)


@pytest.mark.django_db
def test_commit_pay_and_release_move_the_figures_and_refuse_what_does_not_fit():
    budget = budget_set(actor=officer("市经济信息委"), measure_number=4, year=2026, amount_yuan=1_000_000)
    actor = officer("市经济信息委")

    budget_commit(budget=budget, amount_yuan=600_000, reference="A1", actor=actor)
    budget_pay(budget=budget, amount_yuan=600_000, reference="A1", actor=actor)
    budget_commit(budget=budget, amount_yuan=300_000, reference="A2", actor=actor)
    with pytest.raises(Conflict) as refused:
        budget_commit(budget=budget, amount_yuan=200_000, reference="A3", actor=actor)
    budget_release(budget=budget, amount_yuan=300_000, reference="A2", actor=actor, reason="撤销")

    budget.refresh_from_db()
    assert refused.value.code == "over_budget" and refused.value.params["remaining_yuan"] == 100_000
    assert "10 万元" in refused.value.message
    assert (budget.committed_yuan, budget.paid_yuan, budget.remaining_yuan) == (0, 600_000, 400_000)


@pytest.mark.django_db
def test_only_a_bureau_head_with_a_reason_may_go_beyond_the_budget():
    budget = budget_set(actor=officer("市经济信息委"), measure_number=4, year=2026, amount_yuan=100)

    with pytest.raises(NotAllowed):
        budget_commit(budget=budget, amount_yuan=150, reference="A", actor=officer("市经济信息委"), override_reason="急需")
    budget = budget_commit(budget=budget, amount_yuan=150, reference="A", actor=head("市经济信息委"), override_reason="急需")

    assert (budget.committed_yuan, budget.overrun_yuan) == (150, 50)
    assert BudgetEntry.objects.get(budget=budget, kind="override").reason == "急需"


@pytest.mark.django_db(transaction=True)
def test_twenty_commits_at_once_against_a_budget_that_fits_ten_commit_exactly_ten():
    from catalogue.loading import policies_load

    policies_load()
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    budget = budget_set(actor=admin, measure_number=4, year=2026, amount_yuan=10 * 300_000)
    start, results = threading.Barrier(20), []

    def approve(i):
        try:
            start.wait()
            with transaction.atomic():
                budget_commit(budget=budget, amount_yuan=300_000, reference=f"R{i}", actor=admin)
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    budget = Budget.objects.get(pk=budget.pk)
    assert sorted(results) == ["ok"] * 10 + ["over_budget"] * 10
    assert budget.committed_yuan == 3_000_000 and budget.remaining_yuan == 0
    assert BudgetEntry.objects.filter(budget=budget, kind="commit").count() == 10
