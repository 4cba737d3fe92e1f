"""The rule administration pages, server-rendered: draft, edit, review, publish, previews, cases, spreadsheets, access."""
import io

import openpyxl
import pytest
from django.test import Client
from django.utils.html import escape

from accounts.models import Profile, Role
from jobs.models import Job
from rules.models import ClauseRule, GoldenCase, RuleVersion
from rules.selectors import current_version
from tests.factories import UserFactory, applicant, officer

pytestmark = pytest.mark.django_db
FIM42_CASE = "the lead drafter of an international standard published in 2026 gets up to 50万元"


def rule_admin(**kwargs):
    user = UserFactory(**kwargs)
    Profile.objects.create(user=user, role=Role.RULE_ADMIN)
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def new_draft(page) -> RuleVersion:
    response = page.post("/rules/versions/new/", {"note": "raise FIM-4.2"})
    draft = RuleVersion.objects.order_by("-number").first()
    assert response.status_code == 302 and response["Location"] == f"/rules/versions/{draft.number}/"
    return draft


def clause_form(page, draft, code="FIM-4.2") -> dict:
    """What the edit page's form would post unchanged: the clause's fields and every condition row."""
    context = page.get(f"/rules/versions/{draft.number}/clauses/{code}/").context
    data = dict(context["form"])
    for row in context["rows"]:
        for column in ("group", "fact", "operator", "value", "message_zh", "message_en"):
            data[f"cond-{row['index']}-{column}"] = row[column]
    return data


def raise_fim42(page, draft, amount="800000"):
    data = clause_form(page, draft)
    data["amount_yuan"] = amount
    return page.post(f"/rules/versions/{draft.number}/clauses/FIM-4.2/", data)


def move_fim42_cases(page, amount="800000"):
    for case in GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan=500_000):
        page.post(f"/rules/cases/{case.pk}/", {"expected": case.expected, "amount_yuan": amount, "next": "FIM-4.2"})


def fim42_cap(version):
    return ClauseRule.objects.get(version=version, clause__code="FIM-4.2").amount_yuan


def test_a_raised_cap_is_drafted_reviewed_and_published_by_a_second_administrator(django_capture_on_commit_callbacks):
    author, reviewer = signed_in(rule_admin()), signed_in(rule_admin())
    draft = new_draft(author)

    saved = raise_fim42(author, draft)
    move_fim42_cases(author)
    library = author.get("/rules/cases/", {"clause": "FIM-4.2"})
    author.post(f"/rules/versions/{draft.number}/submit/", {"note": "please review"})
    refused = author.post(f"/rules/versions/{draft.number}/publish/", follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(f"/rules/versions/{draft.number}/publish/", {"note": "checked", "ack-FIM-4.2": "raised by the bureau"})
    page = reviewer.get(f"/rules/versions/{draft.number}/")
    progress = reviewer.get(f"/rules/versions/{draft.number}/reevaluation.json").json()
    listing = reviewer.get("/rules/")

    assert saved.status_code == 302 and saved["Location"].endswith("#clause-FIM-4.2")
    assert 'value="800000"' in library.content.decode()
    assert "另一位管理员" in refused.content.decode()
    assert current_version().number == draft.number and fim42_cap(current_version()) == 800_000
    body = page.content.decode()
    assert 'data-status="published"' in body and "最高 80 万元" in body
    assert '<progress id="job-progress" max="100" value="100">' in body
    assert Job.objects.filter(key=f"reevaluation:v{draft.number}", state="done", finished_at__isnull=False).exists()
    assert progress["version"] == draft.number and progress["job"]["finished"] and progress["job"]["percent"] == 100
    assert [e.action for e in draft.events.order_by("pk")] == ["draft", "edit", "submit", "publish"]
    assert listing.context["current"] == draft.number
    assert f'id="version-{draft.number}" class="versions__current"' in listing.content.decode()


@pytest.mark.parametrize(
    "row, column, value, path",
    [
        (1, "fact", "no_such_fact", "conditions[1][0].fact"),
        (3, "operator", "gte", "conditions[3][0].operator"),  # intl_standard_role is an enum: no ordering
        (1, "value", "42", "conditions[1][0].value"),  # org_type takes a choice, not a number
    ],
)
def test_the_clause_editor_shows_a_refusal_next_to_the_field_it_names_and_saves_nothing(row, column, value, path):
    page = signed_in(rule_admin())
    draft = new_draft(page)
    data = clause_form(page, draft)
    data["amount_yuan"] = "800000"
    data[f"cond-{row}-{column}"] = value

    response = page.post(f"/rules/versions/{draft.number}/clauses/FIM-4.2/", data)

    body = response.content.decode()
    assert response.status_code == 400
    assert f'<code class="field-path">{path}</code>' in body
    rendered_row = response.context["rows"][row]
    assert rendered_row["errors"][column] and rendered_row[column] == value
    assert f'id="err-cond-{row}-{column}">{escape(rendered_row["errors"][column])}' in body
    assert fim42_cap(draft) == 500_000 and not draft.events.filter(action="edit").exists()


def test_a_refusal_of_the_clause_fields_is_shown_next_to_them():
    page = signed_in(rule_admin())
    draft = new_draft(page)
    data = clause_form(page, draft)
    data.update(amount_kind="none", amount_yuan="5", bureaus="市经济信息委、市不存在局")

    response = page.post(f"/rules/versions/{draft.number}/clauses/FIM-4.2/", data)

    assert response.status_code == 400
    assert response.context["field_errors"]["amount_yuan"]
    assert '<code class="field-path">amount_yuan</code>' in response.content.decode()


def test_conditions_can_be_removed_and_added_through_the_rows():
    page = signed_in(rule_admin())
    draft = new_draft(page)
    data = clause_form(page, draft)
    data["cond-2-fact"] = ""  # a row without a fact is left out
    blank = ClauseRule.objects.get(version=draft, clause__code="FIM-4.2").conditions.count()  # the first blank row
    data.update({f"cond-{blank}-group": "2", f"cond-{blank}-fact": "org_type", f"cond-{blank}-operator": "eq",
                 f"cond-{blank}-value": "research_institute", f"cond-{blank}-message_zh": "申请主体为科研院所",
                 f"cond-{blank}-message_en": "The applicant is a research institute"})

    response = page.post(f"/rules/versions/{draft.number}/clauses/FIM-4.2/", data)

    assert response.status_code == 302
    conditions = list(ClauseRule.objects.get(version=draft, clause__code="FIM-4.2").conditions.order_by("group", "position"))
    assert "future_industry_field" not in [c.fact_id for c in conditions]
    assert [(c.group, c.position, c.value) for c in conditions if c.fact_id == "org_type"] == [
        (1, 0, "enterprise"), (1, 1, "research_institute")]


def test_publishing_is_refused_while_a_golden_case_fails_and_the_page_names_the_case():
    author, reviewer = signed_in(rule_admin()), signed_in(rule_admin())
    draft = new_draft(author)
    raise_fim42(author, draft)  # the library still expects 500,000
    author.post(f"/rules/versions/{draft.number}/submit/")

    response = reviewer.post(f"/rules/versions/{draft.number}/publish/", {"ack-FIM-4.2": "raised"}, follow=True)

    body = response.content.decode()
    assert FIM42_CASE in body and "案例库中有案例在此版本下未通过" in body
    draft.refresh_from_db()
    assert draft.status == RuleVersion.Status.IN_REVIEW


def test_the_impact_preview_lists_who_a_raised_cap_changes():
    page = signed_in(rule_admin())
    draft = new_draft(page)
    raise_fim42(page, draft)

    response = page.get(f"/rules/versions/{draft.number}/impact/")

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["totals"]["amount_changes"] >= 1
    assert f'data-key="{FIM42_CASE}"' in body
    assert "最高 50 万元 → <strong>最高 80 万元</strong>" in body


def test_the_static_checks_page_lists_findings_by_severity_in_the_page_language():
    page = signed_in(rule_admin())
    draft = new_draft(page)
    data = clause_form(page, draft)
    data.update({"cond-5-group": "9", "cond-5-fact": "org_type", "cond-5-operator": "eq", "cond-5-value": '"university"',
                 "cond-5-message_zh": "申请主体为高等学校", "cond-5-message_en": "The applicant is a university"})
    page.post(f"/rules/versions/{draft.number}/clauses/FIM-4.2/", data)

    response = page.get(f"/rules/versions/{draft.number}/checks/")

    groups = {g["severity"]: g["items"] for g in response.context["groups"]}
    assert list(groups) == ["error", "warning", "info"]
    error = groups["error"][0]
    assert error["finding"].clause == "FIM-4.2" and error["message"] == error["finding"].message_zh
    assert error["message"] in response.content.decode()


def test_a_rejected_version_needs_a_reason_and_rollback_is_a_draft_reviewed_by_another_administrator(
        django_capture_on_commit_callbacks):
    author, reviewer = signed_in(rule_admin()), signed_in(rule_admin())
    original = current_version()
    draft = new_draft(author)
    raise_fim42(author, draft)
    move_fim42_cases(author)
    author.post(f"/rules/versions/{draft.number}/submit/")
    no_reason = reviewer.post(f"/rules/versions/{draft.number}/reject/", {"note": ""}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(f"/rules/versions/{draft.number}/publish/", {"ack-FIM-4.2": "raised"})

    rolled = reviewer.post(f"/rules/versions/{original.number}/rollback/", {"note": "back to the text's 50万元"})
    restored = RuleVersion.objects.order_by("-number").first()
    page = reviewer.get(f"/rules/versions/{restored.number}/").content.decode()
    reviewer.post(f"/rules/versions/{restored.number}/submit/")
    own = reviewer.post(f"/rules/versions/{restored.number}/publish/", follow=True)
    still = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        author.post(f"/rules/versions/{restored.number}/publish/")

    assert "说明需要修改什么" in no_reason.content.decode()
    assert rolled.status_code == 302 and rolled["Location"] == f"/rules/versions/{restored.number}/"
    assert 'id="case-changes"' in page and FIM42_CASE in page  # the cases that move back with the rules
    assert "另一位管理员" in own.content.decode() and still == draft
    assert current_version() == restored and restored.source == "rollback" and fim42_cap(restored) == 500_000
    assert set(GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False)
               .values_list("amount_yuan", flat=True)) == {500_000}


def test_an_exported_workbook_edited_and_imported_changes_the_draft_and_a_bad_cell_is_named():
    page = signed_in(rule_admin())
    draft = new_draft(page)
    exported = page.get(f"/rules/versions/{draft.number}/export.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(exported.content))
    clauses = wb["clauses"]
    header = [c.value for c in clauses[1]]
    row = next(r for r in range(2, clauses.max_row + 1) if clauses.cell(r, 1).value == "FIM-4.2")
    clauses.cell(row, header.index("amount_yuan") + 1).value = 800_000
    good = io.BytesIO()
    wb.save(good)
    clauses.cell(row, header.index("amount_yuan") + 1).value = "lots"
    bad = io.BytesIO()
    wb.save(bad)

    refused = page.post(f"/rules/versions/{draft.number}/import/",
                        {"file": _upload(bad.getvalue(), "rules.xlsx")})
    imported = page.post(f"/rules/versions/{draft.number}/import/",
                         {"file": _upload(good.getvalue(), "rules.xlsx")})

    assert exported.status_code == 200 and exported["Content-Disposition"].endswith(f'rules-v{draft.number}.xlsx"')
    assert refused.status_code == 400
    assert f"clauses!R{row}:amount_yuan" in refused.content.decode()
    assert imported.status_code == 302 and fim42_cap(draft) == 800_000


def test_the_yaml_export_downloads():
    page = signed_in(rule_admin())

    response = page.get(f"/rules/versions/{current_version().number}/export.yaml")

    assert response.status_code == 200 and b"FIM-4.2" in response.content


def test_a_case_is_added_to_the_library_and_bad_facts_are_named():
    page = signed_in(rule_admin())
    case = {"name": "a university does not lead FIM-4.2", "clause": "FIM-4.2", "as_of": "2026-06-01",
            "expected": "not_eligible", "amount_yuan": ""}

    refused = page.post("/rules/cases/", {**case, "facts": '{"org_type": "company"}'})
    added = page.post("/rules/cases/", {**case, "facts": '{"org_type": "university"}'})

    assert refused.status_code == 400 and "facts.org_type" in refused.context["add_errors"]["facts"]
    assert added.status_code == 302
    assert GoldenCase.objects.get(name=case["name"]).facts == {"org_type": "university"}


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


RULE_PAGES = [
    ("get", "/rules/"), ("post", "/rules/versions/new/"), ("get", "/rules/versions/1/"),
    ("post", "/rules/versions/1/submit/"), ("post", "/rules/versions/1/publish/"), ("post", "/rules/versions/1/reject/"),
    ("post", "/rules/versions/1/rollback/"), ("get", "/rules/versions/1/clauses/FIM-4.2/"),
    ("get", "/rules/versions/1/impact/"), ("get", "/rules/versions/1/checks/"), ("get", "/rules/versions/1/export.xlsx"),
    ("get", "/rules/versions/1/export.yaml"), ("get", "/rules/versions/1/import/"),
    ("get", "/rules/versions/1/reevaluation.json"), ("get", "/rules/cases/"), ("post", "/rules/cases/"),
    ("post", "/rules/cases/1/"),
]


def test_applicants_and_officers_get_a_403_page_on_every_rule_page_and_strangers_sign_in_first():
    versions_before = RuleVersion.objects.count()
    for user in (applicant(), officer("市经济信息委")):
        page = signed_in(user)
        for method, url in RULE_PAGES:
            response = getattr(page, method)(url)
            assert response.status_code == 403, (user, url)
            assert "只有规则管理员" in response.content.decode()
        assert "规则管理" not in page.get("/").content.decode()
    for method, url in RULE_PAGES:
        assert getattr(Client(), method)(url).status_code == 302
    assert RuleVersion.objects.count() == versions_before


def test_rule_administrators_see_the_navigation_item():
    assert "规则管理" in signed_in(rule_admin()).get("/").content.decode()
