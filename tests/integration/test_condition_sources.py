"""The words a condition rests on travel with it: drafts, edits, the rule API and the spreadsheets keep them.

An edit may name a condition's words (source_quote, verbatim in the document), the document they are in
(source_document) or the interpretation it follows; a row that names none of them keeps the words of the
identical condition it replaces, so the older editor page, API clients and workbooks do not lose them.
"""
import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from policy_portal.exceptions import DomainError
from rules.selectors import clause_edit_args, current_version, version_content
from rules.services import clause_rule_edit, ruleset_draft_create
from rules.spreadsheets import draft_import_xlsx, version_export_xlsx
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.RULE_ADMIN)
    return user


@pytest.fixture
def draft(author):
    return ruleset_draft_create(actor=author, note="words")


def rows(version, code):
    return next(c for c in version_content(version) if c["clause"] == code)["conditions"]


def edit(author, draft, code, conditions):
    args = {**clause_edit_args(draft, code), "conditions": conditions}
    return clause_rule_edit(actor=author, version=draft, clause_code=code, **args)


def test_a_draft_holds_every_condition_with_its_words(draft):
    assert version_content(draft) == version_content(current_version())
    drug = {r["fact"]: r for r in rows(draft, "FIM-10.2")}
    assert drug["drug_class"]["source_quote"] == "对I类创新药"
    assert drug["drug_mah"]["interpretation"].startswith("I-7:")
    assert drug["registered_in_chongqing"].get("source_quote") is None


def test_rows_that_name_no_words_keep_those_of_the_condition_they_replace(author, draft):
    before = rows(draft, "FIM-4.2")
    plain = [[{k: c[k] for k in ("fact", "operator", "value", "message_zh", "message_en")} for c in group]
             for group in clause_edit_args(draft, "FIM-4.2")["conditions"]]

    edit(author, draft, "FIM-4.2", plain)

    assert rows(draft, "FIM-4.2") == before


def test_a_condition_with_words_not_in_its_document_is_refused_naming_the_cell(author, draft):
    conditions = clause_edit_args(draft, "FIM-10.2")["conditions"]
    conditions[2][0]["source_quote"] = "对I类创新药给予2000万元奖励"

    with pytest.raises(DomainError) as err:
        edit(author, draft, "FIM-10.2", conditions)

    assert (err.value.code, err.value.field) == ("quote_not_in_text", "conditions[2][0].source_quote")


def test_another_documents_words_are_checked_in_that_document(author, draft):
    conditions = clause_edit_args(draft, "FIM-5.1")["conditions"]
    rie = next(c for g in conditions for c in g if c["source_document"] == "RIE")

    rie["source_document"] = "PIC"
    with pytest.raises(DomainError) as err:
        edit(author, draft, "FIM-5.1", conditions)
    assert err.value.code == "quote_not_in_text"

    rie["source_document"] = "XYZ"
    with pytest.raises(DomainError) as err:
        edit(author, draft, "FIM-5.1", conditions)
    assert err.value.code == "unknown_document" and err.value.field.endswith(".source_document")


def test_an_edit_may_change_the_words_and_the_interpretation(author, draft):
    conditions = clause_edit_args(draft, "FIM-10.2")["conditions"]
    conditions[1][0].update(source_quote="对I类创新药给予1000万元奖励", interpretation="")

    edit(author, draft, "FIM-10.2", conditions)

    mah = next(r for r in rows(draft, "FIM-10.2") if r["fact"] == "drug_mah")
    assert mah["source_quote"] == "对I类创新药给予1000万元奖励" and "interpretation" not in mah


def test_the_rule_api_shows_and_validates_the_words(author, draft):
    client = APIClient()
    client.force_authenticate(author)
    rules = client.get(f"/api/v1/rules/versions/{draft.number}/").json()["clause_rules"]
    rule = next(r for r in rules if r["clause"] == "FIM-10.2")
    drug_class = rule["conditions"][2][0]

    assert (drug_class["fact"], drug_class["source_quote"], drug_class["source_document"]) == ("drug_class", "对I类创新药", "")
    drug_class["source_quote"] = "对II类创新药"
    body = {k: rule[k] for k in ("amount_yuan", "amount_kind", "effective_from", "effective_to", "bureaus", "conditions")}
    response = client.put(f"/api/v1/rules/versions/{draft.number}/clauses/FIM-10.2/", body, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "conditions[2][0].source_quote"


def test_a_workbook_carries_the_words_and_one_without_those_columns_keeps_them(author, draft):
    wb = openpyxl.load_workbook(io.BytesIO(version_export_xlsx(current_version())))
    sheet = wb["conditions"]
    header = [c.value for c in sheet[1]]
    quotes = [row[header.index("source_quote")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "对I类创新药" in quotes

    sheet.delete_cols(header.index("source_document") + 1, 3)
    out = io.BytesIO()
    wb.save(out)
    report = draft_import_xlsx(actor=author, draft=draft, data=out.getvalue())

    assert version_content(draft) == version_content(current_version())
    assert report.version == draft.number
