"""The checker as an interview, server-side (no JavaScript): steps, 不确定, going back, the result, the share link."""
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import STANDARD_FACTS

pytestmark = pytest.mark.django_db

URL = "/check/interview/"
EMBODIED_AI_ENTERPRISE = STANDARD_FACTS  # 重庆具身智能科技有限公司: lead drafter of an international standard


def shown(response) -> list[str]:
    return re.findall(r'class="question[^"]*" id="q-[^"]+" data-fact="([^"]+)"', response.content.decode())


def state(response) -> str:
    return re.search(r'name="state" value="([^"]+)"', response.content.decode()).group(1)


def form_value(value):
    if value is True or value is False:
        return "true" if value else "false"
    return value


def answer(client, response, profile, *, unsure=(), topics=("standards",), as_of="2026-06-01", action="next"):
    data = {"state": state(response), "action": action, "unsure": [f for f in shown(response) if f in unsure]}
    for fact in shown(response):
        if fact in profile:
            data[fact] = form_value(profile[fact])
    if 'name="topics"' in response.content.decode():
        data.update({"topics": list(topics), "as_of": as_of})
    return client.post(URL, data)


def walk(client, profile, **options):
    """Answer every step from the profile (what it does not say is left empty) until the result; count questions."""
    response = client.get(URL)
    asked = []
    while b'id="asked"' not in response.content:
        assert response.status_code == 200, response.content.decode()[:2000]
        asked += shown(response)
        response = answer(client, response, profile, **options)
    return asked, response


def test_the_first_step_asks_who_where_which_field_and_what_about(client):
    response = client.get(URL)

    page = response.content.decode()
    assert shown(response) == ["org_type", "registered_in_chongqing", "future_industry_field"]
    assert 'name="topics"' in page and 'name="as_of"' in page
    assert "<progress" in page


def test_the_embodied_ai_enterprise_reaches_its_answer_in_at_most_15_questions(client):
    asked, result = walk(client, EMBODIED_AI_ENTERPRISE)

    page = result.content.decode()
    assert len(asked) + 1 <= 15  # + the topics question
    assert int(re.search(r'data-asked="(\d+)"', page).group(1)) == len(asked) + 1
    assert re.findall(r'result--eligible" data-code="([^"]+)"', page) == ["FIM-4.2"]
    assert "drug_mah" not in asked and "survival_rate" not in asked
    assert "只询问了您选择的方面：知识产权与标准" in page


def test_not_sure_sends_the_clause_to_an_officer_instead_of_guessing(client):
    asked, result = walk(client, EMBODIED_AI_ENTERPRISE, unsure={"intl_standard_published_on"})

    page = result.content.decode()
    assert re.findall(r'result--review" data-code="([^"]+)"', page) == ["FIM-4.2"]
    assert "不确定" in page


def test_going_back_keeps_the_answers(client):
    first = client.get(URL)
    second = answer(client, first, EMBODIED_AI_ENTERPRISE)

    back = answer(client, second, EMBODIED_AI_ENTERPRISE, action="back")

    page = back.content.decode()
    assert shown(back) == ["org_type", "registered_in_chongqing", "future_industry_field"]
    assert re.search(r'<option value="enterprise" selected>', page)
    assert re.search(r'value="standards"[^>]*checked', page)
    assert shown(answer(client, back, EMBODIED_AI_ENTERPRISE)) == shown(second)  # left empty is not "does not apply"


def test_an_invalid_answer_is_named_in_chinese_and_the_step_stays(client):
    first = client.get(URL)
    data = {"state": state(first), "action": "next", "as_of": "2026-02-30", "org_type": "enterprise"}

    response = client.post(URL, data)

    assert response.status_code == 400
    assert shown(response) == shown(first)
    assert "请更正下列标出的回答" in response.content.decode()
    assert re.search(r'<a href="#id_as_of">检查日期</a>', response.content.decode())


def test_a_tampered_state_starts_again_with_a_notice(client):
    response = client.post(URL, {"state": "forged", "action": "next"})

    assert response.status_code == 200
    assert shown(response) == ["org_type", "registered_in_chongqing", "future_industry_field"]
    assert 'role="alert"' in response.content.decode()


def test_the_result_totals_the_money_and_its_share_link_reruns_the_check(client):
    profile = {**EMBODIED_AI_ENTERPRISE, "national_standard_role": "lead", "national_standard_field": "embodied_ai",
               "national_standard_published_on": "2026-03-01", "municipal_single_champion_recognised_on": "2026-04-01",
               "municipal_single_champion_recognition_type": "first"}
    _asked, result = walk(client, profile, topics=("standards", "recognitions"))
    page = result.content.decode()
    link = unescape(re.search(r'href="(/check/result/\?[^"]+)" id="share-link"', page).group(1))

    shared = client.get(link)

    assert re.search(r'data-total="cap">最高 80 万元<', page)  # FIM-4.2 50 万 + FIM-4.3 30 万
    assert re.search(r'data-total="fixed">50 万元<', page)  # FIM-6.1
    assert shared.status_code == 200
    assert sorted(re.findall(r'result--eligible" data-code="([^"]+)"', shared.content.decode())) == [
        "FIM-4.2", "FIM-4.3", "FIM-6.1"]
    assert parse_qs(urlsplit(link).query)["as_of"] == ["2026-06-01"]


def test_a_share_link_with_bad_answers_is_refused_naming_the_field(client):
    response = client.get("/check/result/", {"facts": '{"org_type": "spaceship"}', "as_of": "2026-06-01"})

    assert response.status_code == 400
    assert "主体类型：" in response.content.decode()


@pytest.mark.parametrize("facts", ["[" * 5000 + "]" * 5000, "{" + " " * 30_000 + "}", "not json"])
def test_a_share_link_with_unreadable_answers_is_refused_not_a_500(client, facts):
    response = client.get("/check/result/", {"facts": facts})

    assert response.status_code == 400
    assert "您的回答：" in response.content.decode()
