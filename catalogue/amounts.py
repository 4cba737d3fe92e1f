"""The sums a clause's own words state (最高50万元, 分别给予50万元、100万元, 最高200万元股权投资), read from its quote.

A rule's amount is set by the bureau and may differ from the document (a raised cap, a sum where the text
names none). `stated_amounts` reads what the text says; `amount_differs` says whether a rule's (yuan, kind)
is one of them. The static checks flag a difference for the reviewer to acknowledge, and the checker and
the policy library say plainly that the figure shown was set by the bureau. Pure functions; no queries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# A figure with its unit, and whatever precedes it back to the last punctuation (where 最高 / 不超过 stand).
FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)元")
SEGMENT_BREAK = re.compile(r"[，。；：,;]")
CEILING_WORDS = ("最高", "不超过", "最多", "上限")
EQUITY_WORDS = ("股权投资",)
UNIT = {"万": 10_000, "亿": 100_000_000}


@dataclass(frozen=True)
class StatedAmount:
    yuan: int
    kind: str  # cap | fixed | equity
    words: str  # the figure as the text writes it, with its ceiling word: "最高50万元"


def stated_amounts(quote: str) -> list[StatedAmount]:
    """Every sum the quote states, in order, with its kind as the text words it."""
    out = []
    for match in FIGURE.finditer(quote or ""):
        start = max((m.end() for m in SEGMENT_BREAK.finditer(quote, 0, match.start())), default=0)
        before = quote[start:match.start()]
        end_match = SEGMENT_BREAK.search(quote, match.end())
        after = quote[match.end():end_match.start() if end_match else len(quote)]
        yuan = int(Decimal(match.group(1)) * UNIT[match.group(2)])
        ceiling = next((w for w in CEILING_WORDS if w in before), "")
        kind = "equity" if any(w in after for w in EQUITY_WORDS) else "cap" if ceiling else "fixed"
        out.append(StatedAmount(yuan, kind, ceiling + match.group(0).replace(" ", "")))
    return out


def amount_differs(quote: str, yuan: int | None, kind: str) -> list[StatedAmount] | None:
    """The sums the text states when the rule's (yuan, kind) is none of them; None when it agrees with the text.

    A non-monetary rule or one without a stated sum agrees with a text that states no sum; a cap agrees with a
    text stating that ceiling (a ceiling over equity counts as equity); a fixed sum with that sum."""
    stated = stated_amounts(quote)
    if kind in ("none", "unspecified"):
        return None
    if not stated:
        return []  # the bureau set a sum where the text states none
    for s in stated:
        if s.yuan == yuan and (s.kind == kind or {s.kind, kind} == {"cap", "equity"}):
            return None
    return stated
