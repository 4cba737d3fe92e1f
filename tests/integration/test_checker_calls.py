"""The checker's result says, per clause, when it takes applications: the open call and its closing time, the next
call, or 常年受理."""
import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from accounts.models import Profile, Role
from eligibility.views import call_windows
from programmes.services import call_create
from tests.factories import STANDARD_FACTS, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def a_call(clause, opens_at, closes_at, title="2026年标准化支持申报"):
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    return call_create(actor=admin, title_zh=title, clause_codes=[clause], opens_at=opens_at, closes_at=closes_at)


def test_each_clause_shows_its_open_call_its_next_call_or_that_it_is_rolling():
    closes = NOW + dt.timedelta(days=20)
    a_call("FIM-4.2", NOW - dt.timedelta(days=1), closes)
    a_call("FIM-4.3", NOW + dt.timedelta(days=3), NOW + dt.timedelta(days=30), title="下一批")
    a_call("FIM-10.1", NOW - dt.timedelta(days=30), NOW - dt.timedelta(days=1))

    with override("zh-hans"):
        windows = call_windows()

    assert windows["FIM-4.2"]["state"] == "open"
    assert f"{timezone.localtime(closes):%Y-%m-%d %H:%M}" in windows["FIM-4.2"]["text"]
    assert windows["FIM-4.3"]["state"] == "next" and "下一批" in windows["FIM-4.3"]["text"]
    assert windows["FIM-10.1"]["state"] == "none"
    assert windows["FIM-4.1"]["state"] == "rolling" and "常年受理" in windows["FIM-4.1"]["text"]


def test_the_result_card_shows_the_call_beside_the_apply_button(client):
    closes = NOW + dt.timedelta(days=20)
    a_call("FIM-4.2", NOW - dt.timedelta(days=1), closes)
    form = {code: value for code, value in STANDARD_FACTS.items()}
    form["registered_in_chongqing"] = "true"
    form["as_of"] = "2026-06-01"

    page = client.post("/check/", form, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    card = page[page.index('data-code="FIM-4.2"'):]
    card = card[:card.index("</article>")]
    assert "申报批次开放中" in card and f"{timezone.localtime(closes):%Y-%m-%d %H:%M}" in card
    assert 'id="call-windows"' in page
