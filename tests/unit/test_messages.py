"""The message catalogue: one meaning per code, parameters shown as people read them."""
from django.utils import translation

from policy_portal.exceptions import DomainError
from policy_portal.messages import CONFLICTS, MESSAGES, render


def test_no_code_is_registered_twice_with_different_words():
    assert CONFLICTS == []


def test_sums_are_shown_in_wan_yuan_in_chinese_and_in_yuan_in_english():
    with translation.override("zh-hans"):
        zh = render("over_budget", {"remaining_yuan": 100_000, "amount_yuan": 500_000})
    with translation.override("en"):
        en = render("over_budget", {"remaining_yuan": 100_000, "amount_yuan": 500_000})

    assert "10 万元" in zh and "50 万元" in zh
    assert "CNY 100,000" in en and "CNY 500,000" in en


def test_an_unknown_code_falls_back_to_the_raisers_words_and_a_missing_parameter_never_raises():
    assert DomainError("no_such_code", "the raiser's words").message == "the raiser's words"
    assert render("over_budget", {}, fallback="fallback") in (str(MESSAGES["over_budget"]), "fallback")
