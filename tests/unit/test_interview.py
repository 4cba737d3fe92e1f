"""rules.interview: which facts can still change an answer, the steps that ask them, and 不确定 as needs review."""
import pytest

from rules.check import check
from rules.interview import check_with_unsure, opening_facts, relevance, topic_list
from rules.operators import FactError
from rules.selectors import fact_list
from tests.factories import STANDARD_FACTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(db):
    return {f.code: f.section for f in fact_list()}


def interview(book, sections, profile, as_of, topics=None):
    """Walk the steps as an applicant would: answer what the profile says, leave the rest empty."""
    facts, declined, asked = {}, set(), []
    while True:
        answer = relevance(book, facts, as_of, sections=sections, declined=declined, topics=topics)
        if answer["done"]:
            return asked, facts
        for fact in answer["steps"][0]:
            asked.append(fact)
            if fact in profile:
                facts[fact] = profile[fact]
            else:
                declined.add(fact)


def test_the_first_step_asks_who_where_and_which_field(book, sections, as_of):
    answer = relevance(book, {}, as_of, sections=sections)

    assert answer["steps"][0] == ["org_type", "registered_in_chongqing", "future_industry_field"]
    assert opening_facts(book, sections) == answer["steps"][0]
    assert not answer["done"]


def test_the_embodied_ai_enterprise_reaches_its_answer_in_at_most_15_questions(book, sections, as_of):
    asked, facts = interview(book, sections, STANDARD_FACTS, as_of, topics=["standards"])

    print(len(asked), asked)
    assert len(asked) + 1 <= 15  # + the topics question
    assert [e["code"] for e in check(book, facts, as_of)["eligible"]] == \
        [e["code"] for e in check(book, STANDARD_FACTS, as_of)["eligible"]] == ["FIM-4.2"]


def test_without_topics_every_clause_is_in_scope(book, sections, as_of):
    asked, facts = interview(book, sections, STANDARD_FACTS, as_of)
    print(len(asked), asked)
    assert "FIM-4.2" in [e["code"] for e in check(book, facts, as_of)["eligible"]]


def test_a_clause_decided_false_by_a_known_fact_needs_nothing_more(book, sections, as_of):
    university = {"org_type": "university", "registered_in_chongqing": True, "future_industry_field": "embodied_ai"}

    answer = relevance(book, university, as_of, sections=sections)

    assert "FIM-4.2" not in answer["open_clauses"]
    assert not {"intl_standard_role", "intl_standard_published_on"} & set(answer["relevant_facts"])
    assert "national_base_kind" in answer["relevant_facts"]  # a university may hold a national key lab


def test_once_a_clause_is_engaged_its_remaining_questions_come_together(book, sections, as_of):
    facts = {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai",
             "intl_standard_field": "embodied_ai"}

    answer = relevance(book, facts, as_of, sections=sections, topics=["standards"])

    assert {"intl_standard_role", "intl_standard_published_on"} <= {f for step in answer["steps"] for f in step}
    assert all(len(step) <= 5 for step in answer["steps"])


def test_answered_and_declined_facts_are_not_asked_again(book, sections, as_of):
    facts = {"org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai"}

    answer = relevance(book, facts, as_of, sections=sections, declined=["intl_standard_field"], topics=["standards"])

    asked = {f for step in answer["steps"] for f in step}
    assert not asked & {"org_type", "intl_standard_field"}
    assert "FIM-4.2" not in answer["open_clauses"]


def test_topics_leave_other_clauses_out_of_scope(book, sections, as_of):
    answer = relevance(book, {}, as_of, sections=sections, topics=["talent"])

    assert "standards" in topic_list(book, sections)
    assert "FIM-4.2" in answer["out_of_scope"]
    assert "FIM-12.2" not in answer["out_of_scope"]


def test_not_sure_makes_the_clause_need_review_rather_than_a_guess(book, as_of):
    facts = {k: v for k, v in STANDARD_FACTS.items() if k != "intl_standard_published_on"}

    sure = check_with_unsure(book, facts, as_of)
    unsure = check_with_unsure(book, facts, as_of, unsure=["intl_standard_published_on"])

    assert "FIM-4.2" not in [i["code"] for i in sure["eligible"] + sure["needs_review"]]
    item = next(i for i in unsure["needs_review"] if i["code"] == "FIM-4.2")
    assert "FIM-4.2" not in [i["code"] for i in unsure["eligible"]]
    assert any("不确定" in m["message_zh"] and m["fact"] == "intl_standard_published_on" for m in item["awaiting"])
    assert "FIM-4.2" not in [n["code"] for n in unsure["near_misses"]]


def test_not_sure_of_a_fact_no_condition_could_satisfy_changes_nothing(book, as_of):
    university = {"org_type": "university", "registered_in_chongqing": True}

    result = check_with_unsure(book, university, as_of, unsure=["intl_standard_role"])

    assert "FIM-4.2" not in [i["code"] for i in result["needs_review"]]


def test_an_unknown_fact_in_the_unsure_list_is_refused_naming_the_field(book, sections, as_of):
    with pytest.raises(FactError) as refused:
        relevance(book, {}, as_of, sections=sections, unsure=["no_such_fact"])

    assert refused.value.field == "unsure"
