"""Rule tables travel as Excel and YAML: a round trip changes nothing; a bad cell is named and changes nothing."""
import io

import openpyxl
import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from policy_portal.exceptions import DomainError
from rules.models import Fact
from rules.operators import OPERATORS_BY_TYPE
from rules.selectors import current_version, version_content
from rules.selectors import content_checksum
from rules.services import ruleset_draft_create
from rules.spreadsheets import draft_import_xlsx, draft_import_yaml, version_export_xlsx, version_export_yaml
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def draft(author):
    return ruleset_draft_create(actor=author, note="spreadsheet edits")


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column(ws, name: str) -> int:
    return next(c.column for c in ws[1] if c.value == name)


def row_of(ws, name: str, value) -> int:
    j = column(ws, name)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, j).value == value)


def set_cell(ws, row: int, name: str, value) -> None:
    ws.cell(row, column(ws, name)).value = value


def raise_fim42(wb) -> None:
    clauses = wb["clauses"]
    set_cell(clauses, row_of(clauses, "code", "FIM-4.2"), "amount_yuan", 800_000)


def without(content, code):
    return [c for c in content if c["clause"] != code]


def test_an_exported_workbook_imports_into_a_fresh_draft_unchanged(author, draft):
    current = current_version()

    report = draft_import_xlsx(actor=author, draft=draft, data=version_export_xlsx(current))

    assert report.changed == [] and report.clauses == len(version_content(current))
    assert version_content(draft) == version_content(current)
    assert content_checksum(version_content(draft)) == content_checksum(version_content(current)) == current.checksum
    assert not draft.events.filter(action="edit").exists()


def test_an_exported_yaml_file_imports_into_a_fresh_draft_unchanged(author, draft):
    current = current_version()

    report = draft_import_yaml(actor=author, draft=draft, text=version_export_yaml(current))

    assert report.changed == []
    assert version_content(draft) == version_content(current)
    assert content_checksum(version_content(draft)) == current.checksum


def test_the_workbook_has_frozen_bold_headers_a_read_only_vocabulary_and_a_readme():
    wb = load(version_export_xlsx(current_version()))

    assert wb.sheetnames == ["clauses", "conditions", "facts", "README"]
    for name in ("clauses", "conditions", "facts"):
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws.column_dimensions["A"].width > 8
    assert [c.value for c in wb["clauses"][1]] == ["code", "title_zh", "amount_yuan", "amount_kind", "effective_from",
                                                   "effective_to", "bureaus"]
    assert [c.value for c in wb["conditions"][1]] == ["clause", "group", "position", "fact", "operator", "value",
                                                      "message_zh", "message_en",
                                                      # the words each condition rests on (issue 9)
                                                      "source_document", "source_quote", "interpretation"]
    assert wb["facts"].protection.sheet and wb["facts"].max_row == Fact.objects.count() + 1
    fim42 = wb["clauses"][row_of(wb["clauses"], "code", "FIM-4.2")]
    assert [c.value for c in fim42][2:4] == [500_000, "cap"]


def test_raising_fim42_in_the_workbook_changes_exactly_that_clause(author, draft):
    current = current_version()
    wb = load(version_export_xlsx(current))
    raise_fim42(wb)

    report = draft_import_xlsx(actor=author, draft=draft, data=save(wb))

    assert report.changed == ["FIM-4.2"] and report.changed_count == 1
    after, before = version_content(draft), version_content(current)
    assert without(after, "FIM-4.2") == without(before, "FIM-4.2")
    [new], [old] = [c for c in after if c["clause"] == "FIM-4.2"], [c for c in before if c["clause"] == "FIM-4.2"]
    assert new == {**old, "amount_yuan": 800_000}
    assert [e.data["clause"] for e in draft.events.filter(action="edit")] == ["FIM-4.2"]


def test_raising_fim42_in_yaml_changes_exactly_that_clause(author, draft):
    data = yaml.safe_load(version_export_yaml(current_version()))
    next(c for c in data["clauses"] if c["code"] == "FIM-4.2")["amount_yuan"] = 800_000

    report = draft_import_yaml(actor=author, draft=draft, text=yaml.safe_dump(data, allow_unicode=True))

    assert report.changed == ["FIM-4.2"]
    assert next(c for c in version_content(draft) if c["clause"] == "FIM-4.2")["amount_yuan"] == 800_000


def last_condition_row(ws, fact_types=None):
    types = dict(Fact.objects.values_list("code", "type"))
    j = column(ws, "fact")
    return next(r for r in range(ws.max_row, 1, -1) if fact_types is None or types[ws.cell(r, j).value] in fact_types)


def unknown_fact(wb):
    r = last_condition_row(wb["conditions"])
    set_cell(wb["conditions"], r, "fact", "no_such_fact")
    return f"conditions!R{r}:fact", "unknown_fact"


def unfitting_operator(wb):
    ws = wb["conditions"]
    r = last_condition_row(ws, {"bool"})
    set_cell(ws, r, "operator", "gte")  # a yes/no fact cannot be "at least" anything
    assert "gte" not in OPERATORS_BY_TYPE["bool"]
    return f"conditions!R{r}:operator", "operator_mismatch"


def bad_date(wb):
    r = wb["clauses"].max_row
    set_cell(wb["clauses"], r, "effective_from", "2026-02-30")
    return f"clauses!R{r}:effective_from", "invalid_date"


def fractional_amount(wb):
    r = row_of(wb["clauses"], "code", "FIM-1.1")
    set_cell(wb["clauses"], r, "amount_yuan", 1500.5)
    return f"clauses!R{r}:amount_yuan", "not_a_whole_number"


def worded_amount(wb):
    r = row_of(wb["clauses"], "code", "FIM-1.1")
    set_cell(wb["clauses"], r, "amount_yuan", "五十万")
    return f"clauses!R{r}:amount_yuan", "not_a_whole_number"


def unknown_bureau(wb):
    ws = wb["clauses"]
    r = ws.max_row
    set_cell(ws, r, "bureaus", "市不存在局、" + ws.cell(r, column(ws, "bureaus")).value)
    return f"clauses!R{r}:bureaus", "invalid_bureaus"


def malformed_json(wb):
    ws = wb["conditions"]
    r = last_condition_row(ws, {"enum"})
    set_cell(ws, r, "value", "[enterprise")
    return f"conditions!R{r}:value", "malformed_json"


def unknown_clause(wb):
    ws = wb["clauses"]
    r = ws.max_row
    set_cell(ws, r, "code", "FIM-99")
    for row in wb["conditions"].iter_rows(min_row=2):
        if row[0].value == "IIC-A2":
            row[0].value = "FIM-99"
    return f"clauses!R{r}:code", "unknown_clause"


def duplicate_condition(wb):
    ws = wb["conditions"]
    r = ws.max_row
    ws.append([c.value for c in ws[r]])
    return f"conditions!R{r + 1}:position", "duplicate_row"


def missing_column(wb):
    wb["clauses"].delete_cols(column(wb["clauses"], "amount_kind"))
    return "clauses!R1:amount_kind", "missing_column"


def missing_sheet(wb):
    del wb["conditions"]
    return "conditions", "missing_sheet"


@pytest.mark.parametrize(
    "spoil",
    [unknown_fact, unfitting_operator, bad_date, fractional_amount, worded_amount, unknown_bureau, malformed_json,
     unknown_clause, duplicate_condition, missing_column, missing_sheet],
)
def test_a_bad_cell_is_named_by_sheet_row_and_column_and_changes_nothing(author, draft, spoil):
    wb = load(version_export_xlsx(current_version()))
    raise_fim42(wb)  # a good edit earlier in the file, which must be undone too
    field, code = spoil(wb)
    before, events = version_content(draft), draft.events.count()

    with pytest.raises(DomainError) as error:
        draft_import_xlsx(actor=author, draft=draft, data=save(wb))

    assert (error.value.field, error.value.code) == (field, code)
    assert version_content(draft) == before
    assert draft.events.count() == events


def test_the_row_number_is_the_one_excel_shows_even_after_blank_rows(author, draft):
    wb = load(version_export_xlsx(current_version()))
    ws = wb["conditions"]
    ws.insert_rows(3, amount=2)
    set_cell(ws, 6, "operator", "sometimes")

    with pytest.raises(DomainError) as error:
        draft_import_xlsx(actor=author, draft=draft, data=save(wb))

    assert error.value.field == "conditions!R6:operator"


@pytest.mark.parametrize(
    "spoil, field, code",
    [
        (lambda c: c[3]["conditions"][0][0].update(value="not-a-bool"), "clauses[3].conditions[0][0].value",
         "invalid_type"),
        (lambda c: c[3]["conditions"][0][0].update(fact="no_such_fact"), "clauses[3].conditions[0][0].fact",
         "unknown_fact"),
        (lambda c: c[5].update(effective_to="2026-13-01"), "clauses[5].effective_to", "invalid_date"),
        (lambda c: c[5].update(amount_yuan=12.5), "clauses[5].amount_yuan", "not_a_whole_number"),
        (lambda c: c[5].update(bureaus=["市不存在局"]), "clauses[5].bureaus", "invalid_bureaus"),
        (lambda c: c[5].update(amount=1), "clauses[5].amount", "unknown_key"),
    ],
)
def test_a_bad_yaml_entry_is_named_by_its_path_and_changes_nothing(author, draft, spoil, field, code):
    data = yaml.safe_load(version_export_yaml(current_version()))
    assert data["clauses"][3]["conditions"][0][0]["fact"] == "registered_in_chongqing"
    data["clauses"][0]["amount_yuan"] = 29_000_000  # a good edit, applied first, that must be undone too
    spoil(data["clauses"])
    before = version_content(draft)

    with pytest.raises(DomainError) as error:
        draft_import_yaml(actor=author, draft=draft, text=yaml.safe_dump(data, allow_unicode=True))

    assert (error.value.field, error.value.code) == (field, code)
    assert version_content(draft) == before


@pytest.mark.parametrize("data", [b"not a spreadsheet", b"PK\x03\x04broken zip", b"clauses: []\n"])
def test_a_file_that_is_not_a_workbook_is_refused_as_file(author, draft, data):
    with pytest.raises(DomainError) as error:
        draft_import_xlsx(actor=author, draft=draft, data=data)

    assert error.value.field == "file"


def test_yaml_aliases_and_malformed_yaml_are_refused_as_file(author, draft):
    for text in ("clauses: [a, b", "x: &a [1]\nclauses: *a\n"):
        with pytest.raises(DomainError) as error:
            draft_import_yaml(actor=author, draft=draft, text=text)
        assert error.value.field == "file"


def test_importing_into_a_published_version_is_refused(author):
    current = current_version()
    wb = load(version_export_xlsx(current))
    raise_fim42(wb)
    before = version_content(current)

    with pytest.raises(DomainError) as error:
        draft_import_xlsx(actor=author, draft=current, data=save(wb))

    assert (error.value.code, error.value.field) == ("not_a_draft", "draft")
    assert version_content(current) == before


def test_the_commands_export_and_import_a_workbook(author, draft, tmp_path):
    path = tmp_path / "rules.xlsx"
    call_command("export_rules", "--version", str(current_version().number), "--format", "xlsx", "-o", str(path))
    wb = load(path.read_bytes())
    raise_fim42(wb)
    wb.save(path)
    out = io.StringIO()

    call_command("import_rules", str(path), "--draft", str(draft.number), "--actor", author.username, stdout=out)

    assert '"changed_clauses": ["FIM-4.2"]' in out.getvalue()


def test_the_import_command_names_the_cell_and_exits_with_status_1(author, draft, tmp_path, capsys):
    from rules.management.commands.import_rules import Command

    path = tmp_path / "rules.xlsx"
    call_command("export_rules", "-o", str(path))
    wb = load(path.read_bytes())
    r = row_of(wb["clauses"], "code", "FIM-4.2")
    set_cell(wb["clauses"], r, "effective_to", "someday")
    wb.save(path)
    argv = ["manage.py", "import_rules", str(path), "--draft", str(draft.number), "--actor", author.username]

    with pytest.raises(CommandError, match=rf"clauses!R{r}:effective_to"):
        call_command(*argv[1:])
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(argv)

    assert exit_.value.code == 1
    assert f"clauses!R{r}:effective_to" in capsys.readouterr().err
