"""What the texts add to a check's answer beyond the conditions (rules.adjustments), as rules.check reports it.

* 就新、不重复: support the same item already received under another Chongqing policy is a fact that makes a
  clause superseded (a newer municipal policy) or a matter for an officer (an older one, or a district's).
* Clauses that can reward the same item name each other in `not_combinable_with`.
* FIM's publication day is an estimate: the answer says so, and a check before 2026-01-13 goes to an officer.
* A condition that follows an interpretation, not words of the text, says so.
"""
from __future__ import annotations

import datetime as dt

import pytest

from rules.check import check

AS_OF = dt.date(2026, 6, 1)
STANDARD = {"registered_in_chongqing": True, "org_type": "enterprise", "future_industry_field": "embodied_ai",
            "national_standard_role": "lead", "national_standard_field": "embodied_ai",
            "national_standard_published_on": "2026-05-20"}
PATENTS = {"future_patent_applicant": True}  # FIM-4.1: non-monetary, rewards no item
PROJECT = {"registered_in_chongqing": True, "org_type": "enterprise", "future_industry_field": "embodied_ai",
           "key_core_tech_project": True, "key_core_project_field": "embodied_ai", "jiebang_project": True}


def codes(items):
    return [item["code"] for item in items]


def item(result, key, code):
    return next(i for i in result[key] if i["code"] == code)


# ---------------------------------------------------------------- prior support (就新、不重复)


def test_without_prior_support_the_answer_is_unchanged(book):
    plain = check(book, STANDARD, AS_OF)
    declared_none = check(book, {**STANDARD, "prior_support_same_item": "none"}, AS_OF)

    assert codes(plain["eligible"]) == codes(declared_none["eligible"])
    assert "FIM-4.3" in codes(plain["eligible"]) and plain["superseded"] == []


def test_support_under_a_newer_municipal_policy_supersedes_every_clause_that_rewards_an_item(book):
    facts = {**STANDARD, **PATENTS, "prior_support_same_item": "newer_municipal",
             "prior_support_policy": "重庆市标准化促进办法", "prior_support_year": 2027, "prior_support_amount_yuan": 200000}

    result = check(book, facts, dt.date(2027, 6, 1))

    superseded = item(result, "superseded", "FIM-4.3")
    assert "FIM-4.3" not in codes(result["eligible"]) + codes(result["needs_review"])
    assert superseded["superseded_by"] == []
    assert superseded["reason_zh"].startswith("就新、不重复")
    assert "《重庆市标准化促进办法》，2027年，200000元" in superseded["reason_zh"]
    assert "(重庆市标准化促进办法, 2027, 200000 yuan)" in superseded["reason_en"]
    assert "FIM-4.1" in codes(result["eligible"])  # priority examination rewards no item: untouched


def test_support_under_an_older_municipal_policy_sends_the_clause_to_an_officer_with_the_reason(book):
    result = check(book, {**STANDARD, **PATENTS, "prior_support_same_item": "older_municipal"}, AS_OF)

    review = item(result, "needs_review", "FIM-4.3")
    assert "FIM-4.3" not in codes(result["eligible"])
    assert [a["fact"] for a in review["awaiting"]] == ["prior_support_same_item"]
    assert "不重复支持" in review["awaiting"][0]["message_zh"]
    assert "interpretation" not in review["awaiting"][0]  # the words say it: 就新、不重复
    assert "FIM-4.1" in codes(result["eligible"])
    assert result["superseded"] == []


def test_district_support_goes_to_an_officer_as_a_documented_interpretation(book):
    result = check(book, {**STANDARD, "prior_support_same_item": "district"}, AS_OF)

    [reason] = item(result, "needs_review", "FIM-4.3")["awaiting"]
    assert reason["interpretation"].startswith("I-13:")


def test_a_clause_already_awaiting_review_also_awaits_the_prior_support(book):
    result = check(book, {**PROJECT, "prior_support_same_item": "older_municipal"}, AS_OF)

    awaiting = [a["fact"] for a in item(result, "needs_review", "FIM-1.1")["awaiting"]]
    assert awaiting == ["key_core_tech_project", "prior_support_same_item"]
    position = {c.code: i for i, c in enumerate(book.clauses)}
    assert codes(result["needs_review"]) == sorted(codes(result["needs_review"]), key=position.get)
    assert "FIM-1.2" in codes(result["needs_review"])  # moved from eligible, in catalogue order


def test_prior_support_leaves_recognition_clauses_alone(book):
    facts = {"registered_in_chongqing": True, "org_type": "industry_research_institute", "rie_mode": "enterprise_led",
             "rie_functions": ["rd"], "prior_support_same_item": "newer_municipal"}

    result = check(book, facts, AS_OF)

    assert "RIE-1" in codes(result["eligible"]) and result["superseded"] == []


# ---------------------------------------------------------------- not combinable


def test_two_routes_for_one_project_are_offered_as_alternatives(book):
    result = check(book, PROJECT, AS_OF)

    assert item(result, "eligible", "FIM-1.2")["not_combinable_with"] == ["FIM-1.1"]
    assert item(result, "needs_review", "FIM-1.1")["not_combinable_with"] == ["FIM-1.2"]


def test_only_qualifying_partners_are_named(book):
    result = check(book, {**PROJECT, "key_core_tech_project": False}, AS_OF)

    assert "not_combinable_with" not in item(result, "eligible", "FIM-1.2")


def test_clauses_the_text_pays_separately_are_not_marked(book):
    facts = {**STANDARD, "intl_standard_role": "lead", "intl_standard_field": "embodied_ai",
             "intl_standard_published_on": "2026-03-01"}

    result = check(book, facts, AS_OF)

    assert {"FIM-4.2", "FIM-4.3"} <= set(codes(result["eligible"]))
    assert all("not_combinable_with" not in e for e in result["eligible"])


# ---------------------------------------------------------------- FIM's estimated start


def test_fim_clauses_say_their_start_is_an_estimate(book):
    result = check(book, {**STANDARD, "iic_recognised": True}, AS_OF)

    assert item(result, "eligible", "FIM-4.3")["window_start_estimated"] is True
    assert "window_start_estimated" not in item(result, "eligible", "IIC-13")


@pytest.mark.parametrize("as_of, expected", [
    (dt.date(2025, 12, 31), "none"), (dt.date(2026, 1, 1), "needs_review"), (dt.date(2026, 1, 12), "needs_review"),
    (dt.date(2026, 1, 13), "eligible"),
])
def test_a_check_before_fim_had_certainly_been_published_goes_to_an_officer(book, as_of, expected):
    result = check(book, {"registered_in_chongqing": True, "low_altitude_scenario": True}, as_of)

    got = next((key for key in ("eligible", "needs_review") if "FIM-9.1" in codes(result[key])), "none")
    assert got == expected
    if got == "needs_review":
        [reason] = item(result, "needs_review", "FIM-9.1")["awaiting"]
        assert reason["fact"] == "as_of" and reason["interpretation"].startswith("I-5:")
        assert as_of.isoformat() in reason["message_zh"]


# ---------------------------------------------------------------- interpretations shown as such


def test_conditions_that_follow_an_interpretation_say_so_in_the_answer(book):
    facts = {"registered_in_chongqing": True, "org_type": "research_institute", "drug_mah": True,
             "drug_class": "class1_innovative", "drug_approved_on": "2026-04-01"}

    because = {b["fact"]: b for b in item(check(book, facts, AS_OF), "eligible", "FIM-10.2")["because"]}

    assert because["registered_in_chongqing"]["interpretation"].startswith("I-1:")
    assert because["drug_mah"]["interpretation"].startswith("I-7:")
    assert "interpretation" not in because["drug_class"]  # 对I类创新药: the words say it
    assert "interpretation" not in because["as_of"]


def test_an_awaited_interpretation_says_so_too(book):
    facts = {"registered_in_chongqing": True, "org_type": "enterprise", "drug_mah": True,
             "drug_class": "class1_innovative", "drug_approved_on": "2025-06-01"}

    awaiting = item(check(book, facts, AS_OF), "needs_review", "FIM-10.2")["awaiting"]

    assert [a["interpretation"][:4] for a in awaiting] == ["I-3:", "I-5:"]
