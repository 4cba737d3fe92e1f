"""catalogue.achievements: two statements of one item compare equal; different items do not.

就新、不重复 (FIM, last paragraph) is only as good as the identity of "the same item": a free-text key let
"ISO 12345:2026", "ISO12345:2026" and "" pass as three different achievements.
"""
from __future__ import annotations

import pytest

from catalogue.achievements import KINDS, IdentifierError, base, normalise, parses


@pytest.mark.parametrize("raw", [
    "ISO 12345:2026", "ISO12345:2026", "ＩＳＯ　１２３４５：２０２６", "iso 12345:2026", " ISO 12345 : 2026 ", "ISO 12345：2026",
])
def test_one_international_standard_however_it_is_written(raw):
    assert normalise("standard_international", raw) == "ISO 12345:2026"
    assert parses("standard_international", raw)


@pytest.mark.parametrize("raw, canonical", [
    ("ISO/IEC 27001：2022", "ISO/IEC 27001:2022"),
    ("ISO 12345-2:2026", "ISO 12345-2:2026"),  # a part is another item
    ("ISO 12345:2026/Amd 1:2027", "ISO 12345:2026/AMD 1:2027"),  # an amendment is another item
    ("IEC 62443-4-1:2018", "IEC 62443-4-1:2018"),
    ("ITU-T Y.3172", "ITU-T Y.3172"),
])
def test_parts_amendments_and_bodies_keep_their_identity(raw, canonical):
    assert normalise("standard_international", raw) == canonical


def test_parts_editions_and_amendments_are_different_items():
    first = normalise("standard_international", "ISO 12345:2026")

    assert normalise("standard_international", "ISO 12345-2:2026") != first
    assert normalise("standard_international", "ISO 12345:2027") != first
    assert normalise("standard_international", "ISO 12345:2026/Amd 1:2027") != first


def test_an_iso_number_without_its_year_names_no_edition():
    assert not parses("standard_international", "ISO 12345")
    assert normalise("standard_international", "ISO 12345") == "iso12345"  # still compares, for an officer


@pytest.mark.parametrize("raw", [
    "GB/T 12345-2026", "GB/T12345—2026", "ＧＢ／Ｔ　１２３４５－２０２６", "gb/t 12345–2026", "GB/T 12345 - 2026", "GB/T 12345－2026",
])
def test_one_national_standard_however_it_is_written(raw):
    assert normalise("standard_national", raw) == "GB/T 12345-2026"


def test_gb_gbt_and_gbz_are_different_standards():
    values = {normalise("standard_national", f"{prefix} 12345-2026") for prefix in ("GB", "GB/T", "GB/Z")}

    assert values == {"GB 12345-2026", "GB/T 12345-2026", "GB/Z 12345-2026"}
    assert normalise("standard_national", "GB/T 12345.2-2026") == "GB/T 12345.2-2026"


@pytest.mark.parametrize("raw", ["国药准字 Ｈ２０２６０００１", "国药准字h20260001", "国药准字H20260001", "国药准字 H 2026 0001"])
def test_a_drug_approval_number(raw):
    assert normalise("drug_approval", raw) == "国药准字H20260001"


def test_investment_project_codes_and_other_numbers():
    assert normalise("investment_project", "２０２６－５００１１２－６５－０１－１２３４５６") == "2026-500112-65-01-123456"
    assert not parses("investment_project", "2026-5001-65-01-123456")
    assert normalise("project", "cstc 2026 jscx-msxm0001") == "CSTC2026JSCX-MSXM0001"
    assert normalise("project", "渝科〔2026〕12号") == normalise("project", "渝科[2026]12号") == "渝科〔2026〕12号"


def test_names_and_lists_ignore_case_spaces_and_quotation_marks():
    a = normalise("product", "“智行” 低空 eVTOL-X1")
    b = normalise("product", "智行低空EVTOL－X1")

    assert a == b == "智行低空evtol-x1"
    assert normalise("recognition", "2026年 市级制造业创新中心（第一批）") == normalise("recognition", "2026年市级制造业创新中心(第一批)")


@pytest.mark.parametrize("raw", ["", "   ", "　"])
def test_an_empty_identifier_never_names_an_item(raw):
    with pytest.raises(IdentifierError) as err:
        normalise("standard_international", raw)

    assert err.value.code == "required"


def test_an_unknown_kind_or_a_value_that_is_not_text_is_refused():
    with pytest.raises(IdentifierError):
        normalise("patent", "CN123")
    with pytest.raises(IdentifierError):
        base(12345)


def test_every_kind_has_labels_and_a_scheme_that_accepts_its_own_output():
    samples = {"standard_international": "ISO 1:2026", "standard_national": "GB/T 1-2026", "drug_approval": "国药准字Z20260001",
               "investment_project": "2026-500112-65-01-123456"}
    for code, kind in KINDS.items():
        assert kind.label_zh and kind.label_en, code
        once = normalise(code, samples.get(code, "渝经信发〔2026〕1号 第一批"))
        assert normalise(code, once) == once, code  # normalising twice changes nothing
