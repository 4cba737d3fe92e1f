"""Every refusal's words come from the one catalogue, in Chinese first, with parameters as people know them."""
import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation

from policy_portal.exceptions import DomainError
from policy_portal.messages import CONFLICTS, MESSAGES, Bilingual, Message, fill, render

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for p in ROOT.glob("*/**/*.py")
                 if not {".venv", "tests", "migrations", "bench"} & set(p.relative_to(ROOT).parts))
# Where the code is among a call's arguments; __init__ catches a subclass's super().__init__("code", …).
RAISERS = {"DomainError": 0, "NotAllowed": 0, "NotFound": 0, "Conflict": 0, "Unavailable": 0, "TooLarge": 0,
           "CreditCodeError": 0, "Message": 0, "FactError": 1, "__init__": 0}
LATIN_SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,]+[A-Za-z]+){2,}")


def _calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in RAISERS:
                yield name, node


def _raised_codes() -> list[tuple[str, str, bool]]:
    """(where, code, gives a fallback sentence) for every literal code raised or put into words."""
    found = []
    for path in SOURCES:
        where = str(path.relative_to(ROOT))
        for name, node in _calls(path):
            position = RAISERS[name]
            if len(node.args) > position and isinstance(node.args[position], ast.Constant):
                fallback = len(node.args) > position + 1 and isinstance(node.args[position + 1],
                                                                         (ast.Constant, ast.JoinedStr))
                found.append((f"{where}:{node.lineno}", node.args[position].value, fallback))
    return found


def test_the_scan_sees_the_raise_sites():
    codes = {code for _where, code, _fallback in _raised_codes()}

    assert {"golden_cases_failed", "unknown_fact", "pic_governance", "file_content_mismatch", "parse_error"} <= codes


def test_every_code_raised_has_words_in_the_catalogue():
    assert [(where, code) for where, code, _fallback in _raised_codes() if code not in MESSAGES] == []


def test_no_raise_site_keeps_a_sentence_of_its_own():
    assert [(where, code) for where, code, fallback in _raised_codes() if fallback] == []


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_is_translated_and_reads_chinese(code):
    with translation.override("en"):
        english = str(MESSAGES[code])
    with translation.override("zh-hans"):
        chinese = str(MESSAGES[code])

    assert chinese != english
    assert LATIN_SENTENCE.findall(re.sub(r"%\(\w+\)s", "", chinese)) == []


def test_parameters_are_shown_as_people_know_them():
    params = {"limit": 3, "cap_yuan": 500_000, "version": 12, "day": dt.date(2026, 6, 1), "names": ["甲", "乙"],
              "label": Bilingual("专家委员会", "Expert committee")}
    text = "%(cap_yuan)s %(version)s %(day)s %(names)s %(label)s %(limit)s"

    with translation.override("zh-hans"):
        chinese = fill(text, params)
    with translation.override("en"):
        english = fill(text, params)

    assert chinese == "50 万元 v12 2026-06-01 甲、乙 专家委员会 3"
    assert english == "CNY 500,000 v12 2026-06-01 甲, 乙 Expert committee 3"


def test_a_message_is_put_into_words_when_shown_not_when_raised():
    error = DomainError("invalid_type", field="facts", expected=Message("expected_object"))

    with translation.override("zh-hans"):
        chinese = error.message
    with translation.override("en"):
        english = error.message

    assert chinese == "填写格式不正确：应为对象。"
    assert english == "This value has the wrong form: expected an object."
    assert error.detail == english


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


def test_an_api_validation_error_names_its_field_in_the_language_asked_for():
    from rest_framework import exceptions, serializers

    from policy_portal.errors import api_exception_handler

    class Note(serializers.Serializer):
        note = serializers.CharField()

    def refused() -> dict:  # validated and answered within one request's language, as a view does
        serializer = Note(data={})
        serializer.is_valid()
        return api_exception_handler(exceptions.ValidationError(serializer.errors), {}).data

    with translation.override("zh-hans"):
        chinese = refused()
    with translation.override("en"):
        english = refused()

    assert chinese == {"code": "required", "message": "note：该字段是必填项。", "field": "note"}
    assert english == {"code": "required", "message": "note: This field is required.", "field": "note"}
