"""manage.py seed_demo fills every page with real content once: a carrier in each register, applications in every
state, a budget, a publicity list ended and paid, an open one with an objection; a second run adds nothing."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from carriers.models import (IncubationCarrier, IndustryInnovationCentre, IndustryResearchInstitute,
                             InnovationComplex)
from payments.models import Instalment, Objection, PaymentOrder, PublicityList
from programmes.models import Budget
from subsidies.models import Application
from subsidies.models.applications import Status

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_seed_demo_fills_every_state_publicity_and_payments_once():
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())

    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Application.objects.count() == 12
    assert set(PublicityList.objects.values_list("status", flat=True)) == {"open", "closed"}
    assert Objection.objects.filter(state="open").count() == 1
    assert PaymentOrder.objects.count() == 2
    assert set(Instalment.objects.values_list("status", flat=True)) == {"paid", "confirmed"}
    assert IndustryResearchInstitute.objects.count() == InnovationComplex.objects.count() == 1
    assert IncubationCarrier.objects.count() == IndustryInnovationCentre.objects.count() == 1
    budget = Budget.objects.get()
    assert (budget.committed_yuan, budget.paid_yuan) == (750_000, 900_000)
