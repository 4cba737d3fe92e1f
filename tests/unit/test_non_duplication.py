"""就新、不重复 (FIM, final paragraph), validity windows and needs_review, as rules.check reports them.

"本政策措施与本市其他同类政策有重叠或冲突的，按照“就新、不重复”原则执行": where clauses of different
documents reward the same achievement, only the newer document's clause is offered; clauses of one
document rewarding the same achievement are offered as alternatives (not_combinable_with).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest

from catalogue.loading import FIXTURES, LoadReport, load_bureaus, load_clauses, load_documents
from catalogue.models import Article, Clause, Document
from rules.check import check, result_dict, run
from rules.engine import engine
from rules.loading import load_facts, publish_fixture_content, rule_content
from rules.models import GoldenCase
from rules.operators import date_to_days
from rules.rulebook import RuleBook
from rules.selectors import rulebook_for_version

NEW_TEXT = "对牵头制修订并发布未来产业领域国际标准的企业，给予最高80万元支持。"
NEW_FROM = dt.date(2026, 3, 1)
ENTERPRISE = {"registered_in_chongqing": True, "org_type": "enterprise", "future_industry_field": "embodied_ai"}
# FIM-4.2/4.3 test the standard's own field (issue 9, finding 8) and FIM-1.1 the project's.
INTL_STANDARD = {**ENTERPRISE, "intl_standard_role": "lead", "intl_standard_field": "embodied_ai",
                 "intl_standard_published_on": "2026-04-01"}
BOTH_STANDARDS = {**INTL_STANDARD, "national_standard_role": "lead", "national_standard_field": "embodied_ai",
                  "national_standard_published_on": "2026-04-01"}
KEY_CORE = {**ENTERPRISE, "key_core_tech_project": True, "key_core_project_field": "embodied_ai"}


def codes(items: list[dict]) -> list[str]:
    return [item["code"] for item in items]


def variant(book: RuleBook, clauses) -> RuleBook:
    """A RuleBook of the given clauses under a version key of its own, so the engine compiles it afresh."""
    return RuleBook(version=book.version, clauses=tuple(clauses), vocabulary=book.vocabulary,
                    checksum=f"variant{uuid.uuid4().hex}")


def newer_clause(book: RuleBook, like: str, code: str, **changes):
    """A clause of a document that took effect on NEW_FROM, with the conditions of clause `like`."""
    start = date_to_days(NEW_FROM)
    return dataclasses.replace(book.clause(like), code=code, document="NEW", document_start=start, start=start,
                               end=None, **changes)


@pytest.fixture
def release():
    books = []
    yield books.append
    for b in books:
        engine.release(b.engine_key)


# ---------------------------------------------------------------- a newer policy, published as a rule version


@pytest.fixture
def published_newer_policy(db, release):
    """The fixtures' rule content plus NEW-1, a newer document's clause rewarding FIM-4.2's achievement."""
    report = LoadReport()
    bureaus = load_bureaus(report, FIXTURES)
    docs = load_documents(report, FIXTURES, bureaus)
    content = rule_content(load_clauses(report, FIXTURES, docs, bureaus), load_facts(report, FIXTURES))
    document = Document.objects.create(
        code="NEW", title_zh="（测试）更新的未来产业标准化支持政策", title_en="(test) A newer standards policy",
        dated=NEW_FROM, published_on=NEW_FROM, effective_from=NEW_FROM, full_text=NEW_TEXT,
    )
    article = Article.objects.create(document=document, key="1", position=0, text=NEW_TEXT)
    fim_4_2 = Clause.objects.get(code="FIM-4.2")
    Clause.objects.create(
        code="NEW-1", document=document, article=article, position=len(content), kind="subsidy",
        title_zh="牵头制修订国际标准（较新政策）", title_en="Lead drafter of an international standard (newer policy)",
        quote=NEW_TEXT, achievement=fim_4_2.achievement,
    )
    model = next(item for item in content if item["clause"] == "FIM-4.2")
    content.append({**model, "clause": "NEW-1", "quote": NEW_TEXT, "amount_yuan": 800_000,
                    "effective_from": str(NEW_FROM), "effective_to": None})

    # The case library rightly refuses a policy that changes FIM-4.2's answers; this test is about how the check
    # reports 就新、不重复, so it publishes against a library without FIM-4.2's cases (rolled back after the test).
    GoldenCase.objects.filter(clause__code="FIM-4.2").delete()
    version = publish_fixture_content(content, note="test: a newer policy overlapping FIM-4.2")

    book = rulebook_for_version(version)
    release(book)
    return book


def test_a_newer_documents_clause_supersedes_the_fim_clause_for_the_same_achievement(published_newer_policy):
    result = check(published_newer_policy, INTL_STANDARD, dt.date(2026, 6, 1))

    assert "NEW-1" in codes(result["eligible"])
    assert "FIM-4.2" not in codes(result["eligible"])
    assert [(s["code"], s["superseded_by"]) for s in result["superseded"]] == [("FIM-4.2", ["NEW-1"])]
    assert "就新、不重复" in result["superseded"][0]["reason_zh"]
    assert next(e for e in result["eligible"] if e["code"] == "NEW-1")["amount_yuan"] == 800_000


def test_before_the_newer_policy_takes_effect_the_fim_clause_applies(published_newer_policy):
    facts = {**INTL_STANDARD, "intl_standard_published_on": "2026-01-15"}

    result = check(published_newer_policy, facts, dt.date(2026, 2, 1))

    assert "FIM-4.2" in codes(result["eligible"])
    assert "NEW-1" not in codes(result["eligible"])
    assert result["superseded"] == []


def test_superseding_leaves_clauses_for_other_achievements_alone(published_newer_policy):
    result = check(published_newer_policy, BOTH_STANDARDS, dt.date(2026, 6, 1))

    assert set(codes(result["eligible"])) >= {"NEW-1", "FIM-4.3"}
    assert codes(result["superseded"]) == ["FIM-4.2"]


# ---------------------------------------------------------------- RuleBooks built directly


def test_clauses_of_one_document_sharing_an_achievement_are_not_combinable(book, release):
    shared = book.clause("FIM-4.2").achievement
    clauses = [dataclasses.replace(c, achievement=shared) if c.code == "FIM-4.3" else c for c in book.clauses]
    same_document = variant(book, clauses)
    release(same_document)

    result = check(same_document, BOTH_STANDARDS, dt.date(2026, 6, 1))

    eligible = {e["code"]: e for e in result["eligible"]}
    assert eligible["FIM-4.2"]["not_combinable_with"] == ["FIM-4.3"]
    assert eligible["FIM-4.3"]["not_combinable_with"] == ["FIM-4.2"]
    assert result["superseded"] == []


def test_without_a_shared_achievement_nothing_is_marked(book, as_of):
    result = check(book, BOTH_STANDARDS, as_of)

    assert {"FIM-4.2", "FIM-4.3"} <= set(codes(result["eligible"]))
    assert all("not_combinable_with" not in e for e in result["eligible"])
    assert result["superseded"] == []


def test_two_newer_clauses_supersede_the_older_and_are_not_combinable_with_each_other(book, release):
    extra = [newer_clause(book, "FIM-4.2", "NEW-1", position=900), newer_clause(book, "FIM-4.2", "NEW-2", position=901)]
    overlapping = variant(book, [*book.clauses, *extra])
    release(overlapping)

    result = check(overlapping, INTL_STANDARD, dt.date(2026, 6, 1))

    eligible = {e["code"]: e for e in result["eligible"]}
    assert "FIM-4.2" not in eligible
    assert eligible["NEW-1"]["not_combinable_with"] == ["NEW-2"]
    assert eligible["NEW-2"]["not_combinable_with"] == ["NEW-1"]
    assert [(s["code"], s["superseded_by"]) for s in result["superseded"]] == [("FIM-4.2", ["NEW-1", "NEW-2"])]


def test_non_monetary_clauses_sharing_an_achievement_are_not_superseded(book, release):
    extra = [newer_clause(book, "RIE-1", "NEW-R", position=900)]
    overlapping = variant(book, [*book.clauses, *extra])
    release(overlapping)
    facts = {"registered_in_chongqing": True, "org_type": "industry_research_institute",
             "rie_mode": "enterprise_led", "rie_functions": ["rd"]}

    result = check(overlapping, facts, dt.date(2026, 6, 1))

    assert {"RIE-1", "NEW-R"} <= set(codes(result["eligible"]))
    assert result["superseded"] == []


def test_an_older_clause_awaiting_review_is_not_offered_beside_the_newer_clause(book, release):
    # FIM-1.1 always awaits the review of the breakthrough; a newer policy pays for the same project outright
    newer = newer_clause(book, "FIM-1.1", "NEW-K", position=900,
                         groups=tuple(g for g in book.clause("FIM-1.1").groups if g[0].operator != "review"))
    overlapping = variant(book, [*book.clauses, newer])
    release(overlapping)

    result = check(overlapping, KEY_CORE, dt.date(2026, 6, 1))

    assert "NEW-K" in codes(result["eligible"])
    assert "FIM-1.1" not in codes(result["needs_review"])


# ---------------------------------------------------------------- validity windows


def test_a_clause_out_of_its_window_is_a_near_miss_naming_the_window(book):
    facts = {"registered_in_chongqing": True, "low_altitude_scenario": True}

    result = result_dict(run(book, facts, dt.date(2028, 1, 1)))

    assert "FIM-9.1" not in codes(result["eligible"])
    near = next(n for n in result["near_misses"] if n["code"] == "FIM-9.1")
    assert near["unmet"][0]["fact"] == "as_of"
    assert near["unmet"][0]["message_zh"] == "在政策有效期内（2026-01-01至2027-12-31）"
    assert (near["met"], near["total"]) == (2, 3)


def test_on_the_last_day_the_clause_applies_and_cites_the_window(book):
    facts = {"registered_in_chongqing": True, "low_altitude_scenario": True}

    result = result_dict(run(book, facts, dt.date(2027, 12, 31)))

    item = next(e for e in result["eligible"] if e["code"] == "FIM-9.1")
    assert item["because"][0] == {"fact": "as_of", "message_zh": "在政策有效期内（2026-01-01至2027-12-31）",
                                  "message_en": "Within the policy's validity (2026-01-01 to 2027-12-31)"}
    assert item["citation"]["document"] == "FIM"
    assert item["lead_bureau"] == "市经济信息委"


def test_an_open_ended_window_is_cited_from_its_start(book):
    result = result_dict(run(book, {"iic_recognised": True}, dt.date(2024, 6, 28)))

    near = next(n for n in result["near_misses"] if n["code"] == "IIC-13")
    assert result["eligible"] == []
    assert [u["fact"] for u in near["unmet"]] == ["as_of"]  # recognised, but IIC takes effect the next day
    result = result_dict(run(book, {"iic_recognised": True, "iic_fraud_verified": True}, dt.date(2024, 6, 29)))
    item = next(e for e in result["eligible"] if e["code"] == "IIC-15")
    assert item["because"][0]["message_zh"] == "在政策有效期内（自2024-06-29起）"


def test_facts_of_clauses_out_of_their_window_are_not_asked_for(book):
    facts = {"registered_in_chongqing": True, "org_type": "enterprise"}

    before = result_dict(run(book, facts, dt.date(2025, 6, 1)))
    during = result_dict(run(book, facts, dt.date(2026, 6, 1)))

    assert "intl_standard_role" not in before["relevant_facts"]
    assert "intl_standard_role" in during["relevant_facts"]
    assert set(facts) <= set(before["relevant_facts"])


# ---------------------------------------------------------------- needs_review


def test_a_clause_with_review_conditions_needs_review_and_says_what_awaits(book, as_of):
    result = result_dict(run(book, {"registered_in_chongqing": True, "iic_lead_unit": True}, as_of))

    item = next(r for r in result["needs_review"] if r["code"] == "IIC-10")
    assert "IIC-10" not in codes(result["eligible"])
    assert [a["message_zh"] for a in item["awaiting"]] == [
        "在行业中具有显著的创新优势和较大的影响力",
        "人才密度较高，能整合行业创新资源并提供充足的资金支持和条件保障",
    ]
    assert [b["fact"] for b in item["because"]] == ["as_of", "registered_in_chongqing", "iic_lead_unit"]


def test_a_review_clause_whose_stated_conditions_fail_is_not_under_review(book, as_of):
    result = result_dict(run(book, {**KEY_CORE, "key_core_tech_project": False}, as_of))

    assert "FIM-1.1" not in codes(result["needs_review"])
    assert "FIM-1.1" in codes(result["near_misses"])


def test_a_review_clause_out_of_its_window_is_not_under_review(book):
    facts = KEY_CORE

    assert "FIM-1.1" in codes(check(book, facts, dt.date(2026, 1, 1))["needs_review"])
    assert "FIM-1.1" not in codes(check(book, facts, dt.date(2025, 12, 31))["needs_review"])
    assert "FIM-1.1" not in codes(check(book, facts, dt.date(2028, 1, 1))["needs_review"])


def test_generic_answers_alone_do_not_make_every_clause_a_near_miss(book):
    from rules.check import generic_facts

    generic = {"registered_in_chongqing": True, "org_type": "enterprise", "future_industry_field": "embodied_ai"}

    result = result_dict(run(book, generic, dt.date(2026, 6, 1)))
    engaged = result_dict(run(book, {**generic, "intl_standard_role": "participant", "intl_standard_field": "embodied_ai"},
                              dt.date(2026, 6, 1)))

    assert generic_facts(book) == set(generic)
    assert result["near_misses"] == []
    assert [n["code"] for n in engaged["near_misses"]] == ["FIM-4.2"]
