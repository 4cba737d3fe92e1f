"""Every golden case in fixtures/cases/*.yaml, run through eligibility.checking.check (the path the API uses).

A case is {name, clause, as_of, facts, expected: eligible | needs_review | not_eligible, amount_yuan?, unmet?}.
`amount_yuan` is checked when the clause is eligible; `unmet` lists fact codes that must be among the
clause's near-miss unmet conditions. Framework clauses must never appear in any result list.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from catalogue.models import Clause
from eligibility.checking import check

CASES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "cases"
FILES = {"FIM": "fim.yaml", "RIE": "rie.yaml", "PIC": "pic.yaml", "INC": "inc.yaml", "IIC": "iic.yaml"}
EXPECTED = {"eligible", "needs_review", "not_eligible"}
QUALIFYING = {"eligible", "needs_review"}
KEYS = {"name", "clause", "as_of", "facts", "expected", "amount_yuan", "unmet"}


def load_cases() -> list[dict]:
    cases = []
    for document, filename in FILES.items():
        for case in yaml.safe_load((CASES_DIR / filename).read_text(encoding="utf-8"))["cases"]:
            cases.append({**case, "_document": document, "_file": filename})
    return cases


CASES = load_cases()


def _as_of(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _listed(result: dict) -> dict[str, set[str]]:
    return {
        "eligible": {e["code"] for e in result["eligible"]},
        "needs_review": {e["code"] for e in result["needs_review"]},
        "near_misses": {e["code"] for e in result["near_misses"]},
        "superseded": {e["code"] for e in result["superseded"]},
    }


@pytest.mark.parametrize("case", CASES, ids=[f"{c['clause']}: {c['name']}" for c in CASES])
def test_golden_case(book, case):
    clause = book.clause(case["clause"])

    result = check(book, case["facts"], _as_of(case["as_of"]))

    listed = _listed(result)
    if not clause.evaluated:
        assert all(clause.code not in codes for codes in listed.values()), listed
        return
    expected = case["expected"]
    assert (clause.code in listed["eligible"]) == (expected == "eligible"), listed
    assert (clause.code in listed["needs_review"]) == (expected == "needs_review"), listed
    if expected == "eligible" and "amount_yuan" in case:
        item = next(e for e in result["eligible"] if e["code"] == clause.code)
        assert item["amount_yuan"] == case["amount_yuan"]
        assert item["amount_kind"] == clause.amount_kind
    if case.get("unmet"):
        near = next((n for n in result["near_misses"] if n["code"] == clause.code), None)
        assert near is not None, f"{clause.code} is not a near miss: {listed}"
        assert set(case["unmet"]) <= {u["fact"] for u in near["unmet"]}, near["unmet"]


def test_cases_are_well_formed(book):
    names = [c["name"] for c in CASES]

    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert set(case) - {"_document", "_file"} <= KEYS, case["name"]
        assert {"name", "clause", "as_of", "facts", "expected"} <= set(case), case["name"]
        assert case["expected"] in EXPECTED, case["name"]
        assert isinstance(case["facts"], dict), case["name"]
        assert case["clause"].split("-")[0] == case["_document"], f"{case['name']} belongs in {case['clause']}'s file"
        assert set(case.get("unmet") or []) <= set(book.vocabulary) | {"as_of"}, case["name"]
        if case.get("unmet"):
            assert case["expected"] == "not_eligible", case["name"]


def test_every_clause_has_golden_cases(db):
    by_clause = defaultdict(set)
    for case in CASES:
        by_clause[case["clause"]].add(case["expected"])

    clauses = list(Clause.objects.all())
    assert {c.code for c in clauses} >= set(by_clause), "a case names a clause that does not exist"
    for clause in clauses:
        expectations = by_clause.get(clause.code, set())
        if clause.evaluated:
            assert expectations & QUALIFYING, f"{clause.code} has no qualifying case"
            assert "not_eligible" in expectations, f"{clause.code} has no non-qualifying case"
        else:
            assert expectations, f"framework clause {clause.code} has no case showing it is never listed"
