"""What a check's answer adds up to: the money across clauses, fixed sums and ceilings apart.

Clauses marked not combinable (rules.adjustments.mark_not_combinable, and equally new clauses rewarding the
same achievement) are alternatives for one item: of each such set only the largest counts, and the others
are named. Ceilings (最高) add up to what could be paid at most; fixed sums are paid as stated; equity
investment is not a grant and is totalled on its own. Pure: plain dicts in, a dict out.
"""
from __future__ import annotations

MONETARY = ("fixed", "cap", "equity")


def _alternative_sets(items: list[dict]) -> list[list[dict]]:
    """The items grouped by not-combinable links (connected sets), in the answer's order."""
    by_code = {item["code"]: item for item in items}
    parent = {code: code for code in by_code}

    def root(code):
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for item in items:
        for other in item.get("not_combinable_with", []):
            if other in by_code:
                parent[root(other)] = root(item["code"])
    sets: dict[str, list[dict]] = {}
    for item in items:
        sets.setdefault(root(item["code"]), []).append(item)
    return list(sets.values())


def money_totals(items: list[dict]) -> dict:
    """{fixed_yuan, cap_yuan, equity_yuan, counted, alternatives, unstated} for a list of clause heads.

    `alternatives`: for each not-combinable set, (the code counted, the codes left out); `unstated`: the codes
    paying money of an amount the text does not state, or no money (non-monetary support)."""
    totals = {"fixed_yuan": 0, "cap_yuan": 0, "equity_yuan": 0, "counted": [], "alternatives": [], "unstated": []}
    for group in _alternative_sets(items):
        paying = [i for i in group if i.get("amount_kind") in MONETARY and i.get("amount_yuan") is not None]
        totals["unstated"] += [i["code"] for i in group if i not in paying]
        if not paying:
            continue
        chosen = max(paying, key=lambda i: i["amount_yuan"])  # first of the largest, in the answer's order
        if len(group) > 1:
            totals["alternatives"].append((chosen["code"], [i["code"] for i in group if i is not chosen]))
        totals[f'{chosen["amount_kind"]}_yuan'] += chosen["amount_yuan"]
        totals["counted"].append(chosen["code"])
    totals["any"] = bool(totals["counted"])
    return totals
