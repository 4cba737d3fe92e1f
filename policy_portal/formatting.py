"""How values read to people in the active language: the language test and sums of money.

Pure presentation, no app imports: the message catalogue (policy_portal.messages) and the
catalogue's display helpers both use it.
"""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def money(yuan: int) -> str:
    """A sum as people read it: 3,000 万元 in Chinese, CNY 30,000,000 in English.

    The unit changes with the language (Chinese counts in 万), so this is formatting, not a translation.
    """
    if is_english():
        return f"CNY {yuan:,}"
    text = f"{Decimal(yuan) / 10000:,.4f}".rstrip("0").rstrip(".")
    return f"{text} 万元"
