"""Achievements: the item a monetary clause rewards, identified so that one item is supported once.

FIM's last paragraph: "本政策措施与本市其他同类政策有重叠或冲突的，按照“就新、不重复”原则执行". Each monetary
clause names the kind of item it rewards (`achievement_kind` in fixtures/clauses.yaml); an application states
the item's identifier, and `normalise(kind, raw)` gives the one form under which two statements of the same
item compare equal: "ISO 12345:2026", "ISO12345:2026" and "ＩＳＯ　１２３４５：２０２６" are one standard, as are
"GB/T 12345-2026" and "gb/t12345—2026". Pure functions of text: the checker, the applications and the
approval guard use the same ones. An identifier that does not read as its kind's scheme (`parses` is false)
keeps its plain normalised form, so it still compares, and is for an officer to confirm.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

# Every dash a keyboard, a word processor or a PDF produces, as the ASCII hyphen.
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"), "-")
# Brackets of document numbers (渝府办发〔2025〕56号): the forms people type, as the printed 〔〕.
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕"})
QUOTES = dict.fromkeys(map(ord, "“”‘’\"'「」『』《》〈〉"), None)


class IdentifierError(ValueError):
    """An identifier that cannot name an item at all (empty, or not text); `code` for the refusal."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def base(raw: str) -> str:
    """Full-width to half-width (NFKC), every dash as '-', no whitespace at all, upper case."""
    if not isinstance(raw, str):
        raise IdentifierError("invalid_type", "An identifier is text.")
    text = unicodedata.normalize("NFKC", raw).translate(DASHES)
    return re.sub(r"\s+", "", text).upper()


def plain(raw: str) -> str:
    """For names and lists: `base`, without quotation marks, document brackets as 〔〕, case-folded."""
    return base(raw).translate(QUOTES).translate(BRACKETS).casefold()


# ---------------------------------------------------------------- schemes

STD_INTL = re.compile(
    r"^(ISO/IEC/IEEE|ISO/IEC|ISO/ASTM|ISO/TS|ISO/TR|IEC/TS|IEC/TR|ISO|IEC|ITU-T|ITU-R)"
    r"([A-Z]?\.?\d+(?:[.-]\d+)*)(?::(\d{4}))?((?:/(?:AMD|COR)\d+(?::\d{4})?)*)$"
)
STD_CN = re.compile(r"^(GB/T|GB/Z|GB)(\d+(?:\.\d+)*)-(\d{4})$")
DRUG = re.compile(r"^国药准字([HSZJ])(\d{8})$")
INVESTMENT = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")
CODE = re.compile(r"^[0-9A-Z\u3400-\u9fff〔〕/._#-]+$")


def std_intl(raw: str) -> str | None:
    """ISO, IEC and ITU numbers with their edition year: "iso 12345：2026" → "ISO 12345:2026".

    A part (12345-2) and an amendment (/Amd 1:2027) are other items; an ISO or IEC number without its year
    names no edition, so it does not parse (ITU recommendations are cited without one)."""
    m = STD_INTL.match(base(raw))
    if not m:
        return None
    org, number, year, supplements = m.groups()
    if year is None and not org.startswith("ITU"):
        return None
    supplements = re.sub(r"/(AMD|COR)(\d+)", r"/\1 \2", supplements)
    return f"{org} {number}" + (f":{year}" if year else "") + supplements


def std_cn(raw: str) -> str | None:
    """National standards: "gb/t12345—2026" → "GB/T 12345-2026"; GB, GB/T and GB/Z are different standards."""
    m = STD_CN.match(base(raw))
    return f"{m[1]} {m[2]}-{m[3]}" if m else None


def drug(raw: str) -> str | None:
    """A drug's approval number: "国药准字 Ｈ２０２６０００１" → "国药准字H20260001"."""
    m = DRUG.match(base(raw))
    return f"国药准字{m[1]}{m[2]}" if m else None


def investment_project(raw: str) -> str | None:
    """The national investment project code (全国投资项目在线审批监管平台): 2026-500112-65-01-123456."""
    m = INVESTMENT.match(base(raw))
    return "-".join(m.groups()) if m else None


def code(raw: str) -> str | None:
    """Project, contract, register and record numbers: letters, digits and the separators of such numbers."""
    value = base(raw).translate(BRACKETS)
    return value if CODE.match(value) else None


def name(raw: str) -> str | None:
    """Lists, names and programmes (a recognition list and its year, a product and its model, …)."""
    return plain(raw) or None


@dataclass(frozen=True)
class Kind:
    label_zh: str
    label_en: str
    scheme: Callable[[str], str | None]


KINDS: dict[str, Kind] = {
    "project": Kind("项目编号（立项文件）", "Project number (from the approval of the project)", code),
    "recognition": Kind("认定（评估）文件文号及名单", "Recognition or evaluation: document number and list", name),
    "register_entry": Kind("名录（登记）编号", "Register entry", code),
    "standard_international": Kind("国际标准编号（含年代号）", "International standard number with its year", std_intl),
    "standard_national": Kind("国家标准编号（含年代号）", "National standard number with its year", std_cn),
    "award": Kind("赛事、届次及获奖项目", "Competition, edition and award-winning project", name),
    "product": Kind("产品名称及型号", "Product name and model", name),
    "drug_approval": Kind("药品批准文号", "Drug approval number (国药准字)", drug),
    "contract": Kind("订单（合同）编号", "Order or contract number", code),
    "investment_project": Kind("投资项目统一代码", "National investment project code", investment_project),
    "programme_selection": Kind("人才项目名称、批次及入选人员", "Talent programme, batch and the person selected", name),
    "fund": Kind("基金备案编码", "Fund record number", code),
}


def _kind(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise IdentifierError("unknown_kind", f"Unknown achievement kind {kind!r}.") from None


def parses(kind: str, raw: str) -> bool:
    """Whether `raw` reads as the scheme of `kind` (a standard number with its year, a 国药准字 number, …)."""
    return _kind(kind).scheme(raw) is not None


def normalise(kind: str, raw: str) -> str:
    """The one form of an identifier: two statements of one item give the same string.

    Raises IdentifierError when there is nothing to identify ("" or only spaces: an empty identifier never
    makes two items different). An identifier that does not parse keeps its `plain` form."""
    scheme = _kind(kind).scheme
    if not base(raw):
        raise IdentifierError("required", "State the identifier of the item supported.")
    return scheme(raw) or plain(raw)
