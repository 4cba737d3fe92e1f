"""Every golden case in fixtures/cases/*.yaml, judged by rules.cases.run_case: the runner the publish gate uses.

The schema ({name, clause, as_of, facts, expected, amount_yuan?, unmet?}) and what each key means are in
rules/cases.py; here the cases are read from the YAML itself, so a case is tested before it is loaded.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from catalogue.models import Clause
from rules.cases import CASE_KEYS as KEYS
from rules.cases import Case, run_case

CASES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "cases"
FILES = {"FIM": "fim.yaml", "RIE": "rie.yaml", "PIC": "pic.yaml", "INC": "inc.yaml", "IIC": "iic.yaml"}
EXPECTED = {"eligible", "needs_review", "not_eligible"}
QUALIFYING = {"eligible", "needs_review"}


def load_cases() -> list[dict]:
    cases = []
    for document, filename in FILES.items():
        for case in yaml.safe_load((CASES_DIR / filename).read_text(encoding="utf-8"))["cases"]:
            cases.append({**case, "_document": document, "_file": filename})
    return cases


CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c['clause']}: {c['name']}" for c in CASES])
def test_golden_case(book, case):
    failure = run_case(book, Case.from_row(case))

    assert failure is None, str(failure)


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
