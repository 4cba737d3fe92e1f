"""统一社会信用代码 (unified social credit code) validation per GB 32100-2015.

18 characters from a 31-character alphabet (no I, O, Z, S, V): registration authority (1),
organisation category (1), administrative division (6), organisation code (9, GB 11714, with its
own check digit), and a final check digit: 31 - (Σ value × weight mod 31), 31 written as 0.
"""
from __future__ import annotations

from policy_portal.exceptions import DomainError
from policy_portal.messages import Message

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class CreditCodeError(DomainError):
    """What is wrong with a credit code: a code of accounts.messages and its parameters."""


def check_digit(first17: str) -> str:
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_digit(first8: str) -> str:
    """GB 11714 check character of the embedded 9-character organisation code."""
    total = sum(VALUE[ch] * w for ch, w in zip(first8, ORG_WEIGHTS))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def validate_credit_code(raw: str) -> str:
    """The normalised code, or CreditCodeError saying what is wrong."""
    if not isinstance(raw, str):
        raise CreditCodeError("invalid_type", expected=Message("expected_text"))
    code = raw.strip().upper()
    if len(code) != 18:
        raise CreditCodeError("invalid_length", length=18)
    bad = sorted({ch for ch in code if ch not in VALUE})
    if bad:
        raise CreditCodeError("invalid_character", characters="".join(bad))
    if not code[2:8].isdigit():
        raise CreditCodeError("invalid_division")
    if check_digit(code[:17]) != code[17]:
        raise CreditCodeError("invalid_check_digit")
    return code
