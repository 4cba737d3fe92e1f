"""The sums a clause's quote states, and whether a rule's amount is one of them."""
from pathlib import Path

import pytest
import yaml
from django.template.loader import render_to_string
from django.utils import translation

from catalogue import display
from catalogue.amounts import amount_differs, stated_amounts
from rules.static_checks import AMOUNT_DIFFERS, static_checks

ROOT = Path(__file__).resolve().parents[2]


def test_a_ceiling_applies_to_every_figure_after_it_in_its_phrase():
    assert [(s.yuan, s.kind, s.words) for s in stated_amounts("分别给予最高50万元、30万元支持")] == [
        (500_000, "cap", "最高50万元"), (300_000, "cap", "最高30万元")]


def test_fixed_sums_and_equity_are_read_as_such():
    assert [(s.yuan, s.kind) for s in stated_amounts("分别给予50万元、100万元支持")] == [(500_000, "fixed"), (1_000_000, "fixed")]
    assert [(s.yuan, s.kind) for s in stated_amounts("依法依规给予最高200万元股权投资")] == [(2_000_000, "equity")]
    assert [(s.yuan, s.kind) for s in stated_amounts("最高1.5亿元")] == [(150_000_000, "cap")]


@pytest.mark.parametrize("quote, yuan, kind, differs", [
    ("分别给予最高50万元、30万元支持", 500_000, "cap", False),
    ("分别给予最高50万元、30万元支持", 800_000, "cap", True),
    ("分别给予最高50万元、30万元支持", 500_000, "fixed", True),
    ("给予50万元支持", 500_000, "fixed", False),
    ("给予50万元支持", None, "none", False),
    ("给予支持", 500_000, "cap", True),
    ("给予支持", None, "unspecified", False),
])
def test_an_amount_differs_when_it_is_none_of_the_stated_sums(quote, yuan, kind, differs):
    assert (amount_differs(quote, yuan, kind) is not None) is differs


def test_the_shipped_amounts_are_what_their_quotes_state():
    clauses = yaml.safe_load((ROOT / "fixtures/clauses.yaml").read_text(encoding="utf-8"))["clauses"]

    assert [c["code"] for c in clauses if amount_differs(c.get("quote", ""), c.get("amount_yuan"), c["amount_kind"])
            is not None] == []


def test_the_shipped_book_has_no_amount_finding(book):
    assert [f for f in static_checks(book) if f.code == AMOUNT_DIFFERS] == []


def test_a_non_monetary_amount_is_named_once_not_twice():
    item = {"code": "PIC-1", "title": "t", "amount_text": "", "amount_kind_text": "", "bureau_list": [], "citation": {},
            "because_text": [], "awaiting_text": []}
    with translation.override("zh-hans"):
        item.update(amount_text=display.amount(None, "none"), amount_kind_text=display.amount_badge("none"))
        html = render_to_string("eligibility/_result_card.html", {"item": item})

    assert html.count("非资金支持") == 1
