"""The read API's contract: clauses under the current rule version, documents, bureaus, facts, and the OpenAPI schema."""
import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from catalogue.models import Bureau, Clause
from rules.models import Fact
from rules.operators import OPERATORS_BY_TYPE
from tests.integration.rule_versions import copy_current_version

pytestmark = pytest.mark.django_db

CLAUSE_FIELDS = {
    "code",
    "document",
    "title_zh",
    "title_en",
    "kind",
    "amount_yuan",
    "amount_kind",
    "bureaus",
    "lead_bureau",
    "citation",
    "effective_from",
    "effective_to",
    "ruleset_version",
}
ERROR_FIELDS = {"code", "message", "field"}


@pytest.fixture
def api():
    return APIClient()


def clauses(api, **params):
    response = api.get("/api/v1/clauses/", params)
    assert response.status_code == 200, response.content
    return response.json()


def by_code(api):
    return {item["code"]: item for item in clauses(api)["results"]}


# ---------------------------------------------------------------- clauses


def test_all_52_clause_codes_come_in_one_default_page(api):
    expected = set(Clause.objects.values_list("code", flat=True))

    page = clauses(api)

    assert page["count"] == 52
    assert page["next"] is None and page["previous"] is None
    assert len(page["results"]) == 52
    assert {item["code"] for item in page["results"]} == expected
    assert all(set(item) == CLAUSE_FIELDS for item in page["results"])


def test_clauses_come_in_catalogue_order_starting_with_fim_1_1(api):
    page = clauses(api)

    codes = [item["code"] for item in page["results"]]
    assert codes[:3] == ["FIM-1.1", "FIM-1.2", "FIM-2.1"]
    assert codes.index("FIM-2.5") < codes.index("FIM-10.1")


@pytest.mark.parametrize(
    "code, amount, kind, bureaus",
    [
        ("FIM-1.1", 30_000_000, "cap", ["市科技局", "市经济信息委"]),
        ("FIM-6.2", 1_000_000, "fixed", ["市经济信息委"]),
        ("FIM-5.4", 2_000_000, "equity", ["市经济信息委", "市教委", "市科技局"]),
        ("FIM-4.1", None, "none", ["市经济信息委", "市知识产权局"]),
        ("FIM-2.5", None, "unspecified", ["市科技局", "市经济信息委"]),
        ("FIM-7", None, "none", ["市经济信息委"]),
    ],
)
def test_each_clause_states_its_amount_kind_and_bureaus_lead_first(api, code, amount, kind, bureaus):
    item = by_code(api)[code]

    assert item["amount_yuan"] == amount
    assert item["amount_kind"] == kind
    assert item["bureaus"] == bureaus
    assert item["lead_bureau"] == bureaus[0]


def test_fim_7_is_a_framework_clause_without_money(api):
    item = by_code(api)["FIM-7"]

    assert item["kind"] == "framework"
    assert item["amount_yuan"] is None
    assert item["amount_kind"] == "none"


def test_fim_13_1_is_led_by_the_municipal_finance_office(api):
    item = by_code(api)["FIM-13.1"]

    assert item["lead_bureau"] == "市委金融办"
    assert item["bureaus"][0] == "市委金融办"


def test_every_iic_clause_is_led_by_the_development_and_reform_commission(api):
    page = clauses(api, document="IIC")

    assert page["count"] >= 7
    assert {item["lead_bureau"] for item in page["results"]} == {"市发展改革委"}


def test_every_clause_lists_its_lead_bureau_first(api):
    items = clauses(api)["results"]

    assert all(item["bureaus"] and item["bureaus"][0] == item["lead_bureau"] for item in items)


def test_a_clause_cites_its_article_label_and_quotes_the_article(api):
    item = by_code(api)["FIM-10.1"]
    article_text = Clause.objects.select_related("article").get(code="FIM-10.1").article.text

    assert item["document"] == "FIM"
    assert item["citation"]["document"] == "FIM"
    assert item["citation"]["article"] == "10.培育未来产业标志性产品"
    assert item["citation"]["article_key"] == "10"
    assert item["citation"]["text"] and item["citation"]["text"] in article_text


def test_fim_clauses_are_valid_in_2026_and_2027_with_an_exclusive_end(api):
    item = by_code(api)["FIM-4.2"]

    assert item["effective_from"] == "2026-01-01"
    assert item["effective_to"] == "2028-01-01"
    assert item["ruleset_version"] >= 1


def test_open_ended_clauses_have_a_null_end(api):
    item = by_code(api)["IIC-10"]

    assert item["effective_to"] is None


def test_the_document_filter_keeps_only_that_documents_clauses(api):
    page = clauses(api, document="FIM")

    assert page["count"] == Clause.objects.filter(document__code="FIM").count()
    assert all(item["code"].startswith("FIM-") for item in page["results"])


def test_the_kind_filter_keeps_only_that_kind(api):
    page = clauses(api, kind="framework")

    assert {item["kind"] for item in page["results"]} == {"framework"}
    assert "FIM-7" in {item["code"] for item in page["results"]}


def test_the_bureau_filter_matches_any_responsible_bureau_not_only_the_lead(api):
    page = clauses(api, bureau="市科技局")

    codes = {item["code"] for item in page["results"]}
    assert {"FIM-1.1", "FIM-5.1", "FIM-10.1"} <= codes
    assert all("市科技局" in item["bureaus"] for item in page["results"])
    assert len(codes) == page["count"]


def test_filters_combine(api):
    page = clauses(api, document="FIM", kind="subsidy", bureau="市科技局")

    assert page["count"] > 0
    for item in page["results"]:
        assert item["document"] == "FIM" and item["kind"] == "subsidy" and "市科技局" in item["bureaus"]


@pytest.mark.parametrize("q, expected", [("国际标准", "FIM-4.2"), ("STANDARD", "FIM-4.3"), ("fim-13", "FIM-13.1")])
def test_the_text_search_looks_in_code_and_both_titles_ignoring_case(api, q, expected):
    page = clauses(api, q=q)

    assert expected in {item["code"] for item in page["results"]}
    assert page["count"] < 52


def test_an_unknown_kind_is_refused_naming_the_parameter(api):
    response = api.get("/api/v1/clauses/", {"kind": "grant"})

    assert response.status_code == 400
    assert set(response.json()) == ERROR_FIELDS
    assert response.json()["field"] == "kind"


def test_limit_and_offset_page_through_the_clauses(api):
    page = clauses(api, limit=10, offset=50)

    assert page["count"] == 52
    assert len(page["results"]) == 2
    assert page["next"] is None
    assert "offset=40" in page["previous"]


def test_a_clause_detail_adds_its_conditions_in_groups(api):
    response = api.get("/api/v1/clauses/FIM-4.2/")

    body = response.json()
    assert response.status_code == 200
    assert set(body) == CLAUSE_FIELDS | {"conditions"}
    assert body["amount_yuan"] == 500_000
    assert body["conditions"][0] == [
        {
            "fact": "registered_in_chongqing",
            "operator": "eq",
            "value": True,
            "message_zh": "在重庆市注册（本市政策）",
            "message_en": "Registered in Chongqing (a municipal policy)",
        }
    ]
    # the publication date, then FIM's uncertain first days (docs/policy-reading.md, I-5)
    published, uncertain = body["conditions"][-2:]
    assert [(c["fact"], c["operator"], c["value"]) for c in published] == [("intl_standard_published_on", "in_window", None)]
    assert [(c["fact"], c["operator"]) for c in uncertain] == [("intl_standard_published_on", "gte"),
                                                                ("intl_standard_published_on", "review")]


def test_alternatives_share_a_group(api):
    body = api.get("/api/v1/clauses/FIM-2.2/").json()

    assert any(len(group) > 1 for group in body["conditions"])
    assert all(set(c) == {"fact", "operator", "value", "message_zh", "message_en"} for g in body["conditions"] for c in g)


def test_an_unknown_clause_code_is_a_404_in_the_error_shape(api):
    response = api.get("/api/v1/clauses/FIM-99/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["field"] is None
    assert set(response.json()) == ERROR_FIELDS


def test_the_catalogue_follows_the_newest_published_version(api):
    version = copy_current_version(amounts={"FIM-4.2": 600_000})

    item = api.get("/api/v1/clauses/FIM-4.2/").json()

    assert item["amount_yuan"] == 600_000
    assert item["ruleset_version"] == version.number
    assert clauses(api)["count"] == 52


def test_a_draft_version_does_not_change_the_catalogue(api):
    before = api.get("/api/v1/clauses/FIM-4.2/").json()
    copy_current_version(amounts={"FIM-4.2": 600_000}, status="draft")

    after = api.get("/api/v1/clauses/FIM-4.2/").json()

    assert after == before


def test_listing_clauses_takes_the_same_few_queries_for_5_or_52(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        small = api.get("/api/v1/clauses/", {"limit": 5})
    with django_assert_max_num_queries(5):
        full = api.get("/api/v1/clauses/")

    assert len(small.json()["results"]) == 5
    assert len(full.json()["results"]) == 52


def test_a_clause_detail_takes_a_few_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/clauses/FIM-14/")

    assert response.status_code == 200
    assert len(response.json()["bureaus"]) == 7


# ---------------------------------------------------------------- documents


def test_the_five_documents_are_listed_with_their_issuers(api):
    response = api.get("/api/v1/documents/")

    body = response.json()
    docs = {d["code"]: d for d in body["results"]}
    assert response.status_code == 200
    assert body["count"] == 5
    assert set(docs) == {"RIE", "PIC", "INC", "IIC", "FIM"}
    assert set(docs["FIM"]) == {
        "code",
        "title_zh",
        "title_en",
        "doc_number",
        "issuers",
        "dated",
        "published_on",
        "published_on_estimated",
        "effective_from",
        "effective_to",
    }
    assert docs["FIM"]["issuers"][0] == "市经济信息委"
    assert "市委金融办" in docs["FIM"]["issuers"]
    assert docs["FIM"]["effective_from"] == "2026-01-01"
    assert docs["FIM"]["effective_to"] == "2028-01-01"


def test_a_document_detail_gives_its_articles_with_their_clause_codes_and_its_full_text(api):
    response = api.get("/api/v1/documents/FIM/")

    body = response.json()
    articles = {article["key"]: article for article in body["articles"]}
    first = articles["1"]
    assert response.status_code == 200
    assert set(first) == {"key", "number_zh", "heading_zh", "heading_en", "text", "clauses"}
    assert body["articles"][0]["key"] == "preamble"
    assert first["heading_zh"] == "推动前沿技术研发攻关"
    assert first["clauses"] == ["FIM-1.1", "FIM-1.2"]
    assert first["text"] in body["full_text"]
    cited = [code for article in body["articles"] for code in article["clauses"]]
    assert sorted(cited) == sorted(Clause.objects.filter(document__code="FIM").values_list("code", flat=True))


def test_an_unknown_document_is_a_404_in_the_error_shape(api):
    response = api.get("/api/v1/documents/XYZ/")

    assert response.status_code == 404
    assert set(response.json()) == ERROR_FIELDS


def test_documents_take_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        listing = api.get("/api/v1/documents/")
    with django_assert_max_num_queries(4):
        detail = api.get("/api/v1/documents/FIM/")

    assert listing.status_code == 200
    assert len(detail.json()["articles"]) >= 14


# ---------------------------------------------------------------- bureaus


def test_bureaus_are_listed_under_their_short_names(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = api.get("/api/v1/bureaus/")

    body = response.json()
    bureaus = {b["short_name_zh"]: b for b in body["results"]}
    assert body["count"] == Bureau.objects.count()
    assert bureaus["市科技局"] == {
        "short_name_zh": "市科技局",
        "full_name_zh": "重庆市科学技术局",
        "name_en": "Chongqing Municipal Science and Technology Bureau",
        "level": "city",
    }


# ---------------------------------------------------------------- facts


def test_all_91_facts_come_in_one_default_page_with_their_operators(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/facts/")

    body = response.json()
    assert body["count"] == Fact.objects.count() == 91  # 68 before the second reading of issue 9
    assert len(body["results"]) == 91
    for fact in body["results"]:
        assert set(fact["operators"]) == set(OPERATORS_BY_TYPE[fact["type"]])
    assert body["results"][0]["code"] == "org_type"


def test_a_fact_lists_its_choices_and_the_clauses_that_use_it(api):
    facts = {f["code"]: f for f in api.get("/api/v1/facts/").json()["results"]}

    org_type = facts["org_type"]
    assert {"value": "enterprise", "zh": "企业", "en": "Enterprise"} in org_type["choices"]
    assert {"FIM-4.2", "FIM-6.1"} <= set(org_type["used_by"])
    assert {"FIM-1.1", "IIC-10"} <= set(facts["registered_in_chongqing"]["used_by"])
    assert facts["intl_standard_published_on"]["used_by"] == ["FIM-4.2"]
    assert "in_window" in facts["intl_standard_published_on"]["operators"]
    assert set(facts["org_type"]) == {
        "code",
        "section",
        "type",
        "label_zh",
        "label_en",
        "help_zh",
        "help_en",
        "choices",
        "min_value",
        "max_value",
        "operators",
        "used_by",
    }


def test_used_by_names_only_real_clauses_in_catalogue_order(api):
    facts = api.get("/api/v1/facts/").json()["results"]
    positions = dict(Clause.objects.values_list("code", "position"))

    for fact in facts:
        assert all(code in positions for code in fact["used_by"])
        assert [positions[c] for c in fact["used_by"]] == sorted(positions[c] for c in fact["used_by"])
        assert len(fact["used_by"]) == len(set(fact["used_by"]))


# ---------------------------------------------------------------- OpenAPI


def test_the_openapi_schema_validates_without_warnings_and_describes_the_contract(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    paths, components = schema["paths"], schema["components"]["schemas"]
    assert "post" in paths["/api/v1/eligibility/check"]
    assert {"/api/v1/clauses/", "/api/v1/clauses/{code}/", "/api/v1/documents/", "/api/v1/facts/"} <= set(paths)
    assert set(components["Clause"]["properties"]) == CLAUSE_FIELDS
    assert "conditions" in components["ClauseDetail"]["properties"]
    assert {"as_of", "facts", "ruleset_version", "unsure"} == set(components["CheckRequest"]["properties"])
    assert {"as_of", "ruleset_version", "eligible", "needs_review", "near_misses", "superseded", "relevant_facts"} == set(
        components["CheckResult"]["properties"]
    )
    assert set(components["Error"]["properties"]) == ERROR_FIELDS


def test_the_schema_and_swagger_ui_are_served(api):
    schema = api.get("/api/schema/")
    docs = api.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/eligibility/check" in schema.content
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_the_api_docs_page_uses_no_external_host(client):
    import re

    page = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', page) == []
