"""eligibility.totals: the money across clauses, fixed sums and ceilings apart, alternatives counted once."""
from eligibility.totals import money_totals


def item(code, yuan, kind, *alternatives):
    return {"code": code, "amount_yuan": yuan, "amount_kind": kind, "not_combinable_with": list(alternatives)}


def test_fixed_sums_and_ceilings_are_totalled_apart():
    totals = money_totals([item("FIM-4.2", 500_000, "cap"), item("FIM-6.1", 500_000, "fixed"),
                           item("FIM-4.3", 300_000, "cap"), item("FIM-5.4", 2_000_000, "equity")])

    assert (totals["cap_yuan"], totals["fixed_yuan"], totals["equity_yuan"]) == (800_000, 500_000, 2_000_000)
    assert totals["alternatives"] == []


def test_of_clauses_not_combinable_only_the_largest_counts():
    totals = money_totals([item("FIM-1.1", 30_000_000, "cap", "FIM-1.2"), item("FIM-1.2", 5_000_000, "cap", "FIM-1.1"),
                           item("FIM-10.1", 500_000, "fixed", "FIM-10.4"), item("FIM-10.4", 5_000_000, "cap", "FIM-10.1")])

    assert totals["cap_yuan"] == 35_000_000
    assert totals["fixed_yuan"] == 0
    assert totals["alternatives"] == [("FIM-1.1", ["FIM-1.2"]), ("FIM-10.4", ["FIM-10.1"])]


def test_alternatives_chain_into_one_set_and_non_monetary_clauses_are_named():
    totals = money_totals([item("A", 100, "cap", "B"), item("B", 300, "fixed", "A", "C"), item("C", 200, "cap", "B"),
                           item("D", None, "none"), item("E", None, "unspecified")])

    assert (totals["cap_yuan"], totals["fixed_yuan"]) == (0, 300)
    assert totals["alternatives"] == [("B", ["A", "C"])]
    assert totals["unstated"] == ["D", "E"]
