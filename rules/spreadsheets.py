"""Rule tables as spreadsheets: export a version as Excel or YAML, import an edited copy into a draft.

An import goes through `clause_rule_edit`, clause by clause, inside one transaction, so it is
validated exactly as the edit pages are; the first error undoes everything and names the sheet,
row and column it came from ("conditions!R12:operator", or "clauses[3].conditions[1][0].value"
for YAML). Clauses whose rows equal the draft's are left alone, so a round trip changes nothing.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from typing import Callable

import yaml
from django.db import transaction
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from policy_portal.exceptions import Conflict, DomainError
from policy_portal.messages import Message

from .messages import status_label
from .models import ClauseRule, Fact, RuleEvent, RuleVersion
from .operators import FactError, Operator, parse_iso_date
from .selectors import SOURCE_FIELDS, version_content
from .selectors import content_checksum
from .services import clause_rule_edit

MB = 1024 * 1024
MAX_BYTES = 5 * MB
MAX_UNZIPPED_BYTES = 60 * MB  # an xlsx is a zip: refuse bombs before openpyxl inflates them
MAX_ROWS = 5000
MAX_AMOUNT = 10**15
BUREAU_SEPARATOR = "、"
XLSX_FORMAT, YAML_FORMAT = "Excel (.xlsx)", "YAML"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YAML_CONTENT_TYPE = "application/yaml"

CLAUSE_COLUMNS = ("code", "title_zh", "amount_yuan", "amount_kind", "effective_from", "effective_to", "bureaus")
CONDITION_COLUMNS = ("clause", "group", "position", "fact", "operator", "value", "message_zh", "message_en",
                     "source_document", "source_quote", "interpretation")
# Optional on import: a workbook without them keeps each condition's words (rules.services.clause_rule_edit).
OPTIONAL_CONDITION_COLUMNS = SOURCE_FIELDS
FACT_COLUMNS = ("code", "type", "label_zh", "label_en", "choices")
READ_ONLY_COLUMNS = {"title_zh"}
CLAUSE_KEYS = set(CLAUSE_COLUMNS) | {"conditions"}
CONDITION_KEYS = {"fact", "operator", "value", "message_zh", "message_en", *SOURCE_FIELDS}
YAML_TOP_KEYS = {"rule_version", "checksum", "clauses"}

WIDTHS = {
    "clauses": {"code": 12, "title_zh": 44, "amount_yuan": 14, "amount_kind": 13, "effective_from": 14,
                "effective_to": 14, "bureaus": 44},
    "conditions": {"clause": 12, "group": 7, "position": 9, "fact": 34, "operator": 13, "value": 40,
                   "message_zh": 60, "message_en": 70, "source_document": 10, "source_quote": 60,
                   "interpretation": 60},
    "facts": {"code": 36, "type": 11, "label_zh": 36, "label_en": 48, "choices": 60},
}

# (sheet, column, 说明, description) — the README sheet.
README_ROWS = [
    ("clauses", "code", "条款编号，须为本版本已有的条款；每个条款一行。", "The clause's catalogue code; it must exist in the version. One row per clause."),
    ("clauses", "title_zh", "条款名称，仅供阅读，导入时忽略。", "The clause's title, for people; ignored on import."),
    ("clauses", "amount_yuan", "金额（元，整数）；amount_kind 为 none 或 unspecified 时留空。",
     "Amount in whole yuan; empty when amount_kind is none or unspecified."),
    ("clauses", "amount_kind", "金额类型：cap（最高）、fixed（定额）、equity（股权投资）、none（非资金）、unspecified（未载明金额）。",
     "cap (up to), fixed (fixed sum), equity (equity investment), none (non-monetary), unspecified (support without a stated sum)."),
    ("clauses", "effective_from", "生效日期，YYYY-MM-DD。", "First day in force, YYYY-MM-DD."),
    ("clauses", "effective_to", "失效日期（不含当日），YYYY-MM-DD；长期有效则留空。",
     "End date, exclusive, YYYY-MM-DD; empty when open-ended."),
    ("clauses", "bureaus", "责任单位简称，以“、”分隔，牵头单位在前。", "Responsible bureaus' short Chinese names separated by “、”, the lead first."),
    ("conditions", "clause", "条款编号，须列在 clauses 表中。", "The clause's code; the clause must be listed on the clauses sheet."),
    ("conditions", "group", "条件组（整数）。各组须全部满足；同组内满足其一即可。",
     "Group number. Every group must be met; within a group, any one row suffices."),
    ("conditions", "position", "组内顺序（整数）。同一条款的 group+position 不得重复。",
     "Order within the group. A clause's group and position may not repeat."),
    ("conditions", "fact", "事实代码，见 facts 表。", "The fact's code, from the facts sheet."),
    ("conditions", "operator", "运算符，须适合事实类型：" + "、".join(Operator.values) + "。",
     "The operator; it must fit the fact's type: " + ", ".join(Operator.values) + "."),
    ("conditions", "value", "JSON 文本：true、\"enterprise\"、[\"a\",\"b\"]、1；in_window、exists、review 留空。",
     "JSON text: true, \"enterprise\", [\"a\",\"b\"], 1; empty for in_window, exists and review."),
    ("conditions", "message_zh", "不满足时显示的中文说明（200 字以内）。", "What the condition requires, in Chinese (at most 200 characters)."),
    ("conditions", "message_en", "不满足时显示的英文说明（200 字符以内）。", "What the condition requires, in English (at most 200 characters)."),
    ("conditions", "source_document", "条件所依据原文所在的文件代码（非本条款所在文件时填写，如 PIC）；可选。",
     "The code of the document whose words carry the condition, when not the clause's own (e.g. PIC); optional."),
    ("conditions", "source_quote", "条件所依据的原文（须与文件原文逐字一致）；可选。",
     "The words the condition rests on, exactly as the document prints them; optional."),
    ("conditions", "interpretation", "原文未明确时，条件所依据的解读（见 docs/policy-reading.md）；可选。",
     "Where no words settle the condition, the documented reading it follows (docs/policy-reading.md); optional."),
    ("facts", "*", "事实词表，仅供查阅，导入时忽略。", "The facts vocabulary, for reference; ignored on import."),
]

Source = Callable[[str], str]  # a clause_rule_edit field name → where it came from in the file


@dataclass
class ImportReport:
    version: int
    format: str
    clauses: int = 0
    changed: list[str] = field(default_factory=list)

    @property
    def changed_count(self) -> int:
        return len(self.changed)

    def as_dict(self) -> dict:
        return {"rule_version": self.version, "format": self.format, "clauses": self.clauses,
                "changed": self.changed_count, "changed_clauses": self.changed}


@dataclass
class _ClauseInput:
    code: str
    amount_yuan: int | None
    amount_kind: str
    effective_from: dt.date
    effective_to: dt.date | None
    bureaus: list[str]
    conditions: list[list[dict]]
    where: Source
    code_field: str

    def content(self) -> dict:
        """What the draft would hold after the edit, in version_content's shape (less the clause's texts)."""
        rows = []
        for g, group in enumerate(self.conditions):
            for p, c in enumerate(group):
                rows.append({"group": g, "position": p, "fact": c["fact"], "operator": c["operator"],
                             "value": c["value"], "message_zh": _stripped(c["message_zh"]),
                             "message_en": _stripped(c["message_en"]),
                             **{f: _stripped(c[f]) for f in SOURCE_FIELDS if c.get(f)}})
        return {"amount_yuan": self.amount_yuan, "amount_kind": self.amount_kind,
                "effective_from": str(self.effective_from),
                "effective_to": str(self.effective_to) if self.effective_to else None,
                "bureaus": self.bureaus, "conditions": rows}


def _stripped(text):
    return text.strip() if isinstance(text, str) else text


# ---------------------------------------------------------------- export


def _vocabulary():
    return list(Fact.objects.order_by("section", "position", "code"))


def _choices_text(fact: Fact) -> str:
    return "\n".join(f"{c['value']} — {c.get('zh', '')} / {c.get('en', '')}" for c in fact.choices)


def _json_text(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _write_sheet(ws, columns, rows, *, text_columns=()):
    bold = Font(bold=True)
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = bold
    for row in rows:
        ws.append(list(row))
    for j, name in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = WIDTHS.get(ws.title, {}).get(name, 16)
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            if cell.data_type == "f":  # text that merely starts with "=" is not a formula
                cell.data_type = "s"
            if name in text_columns:
                cell.number_format = "@"  # keep ISO dates and JSON as typed when edited in Excel
    ws.freeze_panes = "A2"


def version_export_xlsx(version: RuleVersion) -> bytes:
    """The version's rule tables as a workbook: clauses, conditions, the facts vocabulary and a README."""
    content = version_content(version)
    facts = _vocabulary()
    wb = Workbook()
    clauses = wb.active
    clauses.title = "clauses"
    _write_sheet(
        clauses, CLAUSE_COLUMNS,
        [(c["clause"], c["title_zh"], c["amount_yuan"], c["amount_kind"], c["effective_from"], c["effective_to"] or "",
          BUREAU_SEPARATOR.join(c["bureaus"])) for c in content],
        text_columns={"code", "effective_from", "effective_to", "bureaus"},
    )
    grey = PatternFill("solid", fgColor="EEEEEE")
    for (cell,) in clauses.iter_rows(min_col=2, max_col=2):
        cell.fill, cell.font = grey, Font(bold=cell.row == 1, color="666666")
    kinds = DataValidation(type="list", formula1='"' + ",".join(ClauseRule.AmountKind.values) + '"', allow_blank=True,
                           showErrorMessage=True, error="cap, fixed, equity, none, unspecified")
    clauses.add_data_validation(kinds)
    kinds.add(f"D2:D{MAX_ROWS + 1}")

    conditions = wb.create_sheet("conditions")
    _write_sheet(
        conditions, CONDITION_COLUMNS,
        [(c["clause"], k["group"], k["position"], k["fact"], k["operator"], _json_text(k["value"]),
          k["message_zh"], k["message_en"], *(k.get(f, "") for f in SOURCE_FIELDS))
         for c in content for k in c["conditions"]],
        text_columns={"clause", "fact", "operator", "value"},
    )
    operators = DataValidation(type="list", formula1='"' + ",".join(Operator.values) + '"', allow_blank=False,
                               showErrorMessage=True, error=", ".join(Operator.values))
    known_facts = DataValidation(type="list", formula1=f"facts!$A$2:$A${len(facts) + 1}", allow_blank=False,
                                 showErrorMessage=True, error="See the facts sheet.")
    for dv, column in ((operators, "E"), (known_facts, "D")):
        conditions.add_data_validation(dv)
        dv.add(f"{column}2:{column}{MAX_ROWS + 1}")

    vocabulary = wb.create_sheet("facts")
    _write_sheet(vocabulary, FACT_COLUMNS,
                 [(f.code, f.type, f.label_zh, f.label_en, _choices_text(f)) for f in facts])
    for (cell,) in vocabulary.iter_rows(min_row=2, min_col=5, max_col=5):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    vocabulary.protection.sheet = True  # read-only: the vocabulary is edited elsewhere

    readme = wb.create_sheet("README")
    checksum = version.checksum or content_checksum(content)
    readme.append(["规则表 / Rule tables", f"v{version.number} ({version.status})", f"SHA-256 {checksum}"])
    readme.append(["导入时只读取 clauses 与 conditions 两表；出错时不做任何修改，并指出表、行、列（如 conditions!R12:operator）。",
                   "Import reads only the clauses and conditions sheets; an error changes nothing and names the sheet, "
                   "row and column (e.g. conditions!R12:operator)."])
    readme.append([])
    readme.append(["sheet", "column", "说明", "Description"])
    for row in README_ROWS:
        readme.append(list(row))
    for cell in (*readme[1], *readme[4]):
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (14, 16, 70, 90)):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    readme.freeze_panes = "A5"
    readme.protection.sheet = True

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def version_export_yaml(version: RuleVersion) -> str:
    """The version's rule tables as YAML: a list of clauses, each with its conditions as groups of alternatives."""
    content = version_content(version)
    clauses = []
    for c in content:
        groups: dict[int, list[dict]] = {}
        for k in c["conditions"]:
            groups.setdefault(k["group"], []).append(
                {"fact": k["fact"], "operator": k["operator"], "value": k["value"],
                 "message_zh": k["message_zh"], "message_en": k["message_en"],
                 **{f: k[f] for f in SOURCE_FIELDS if k.get(f)}})
        clauses.append({
            "code": c["clause"], "title_zh": c["title_zh"], "amount_yuan": c["amount_yuan"],
            "amount_kind": c["amount_kind"], "effective_from": c["effective_from"], "effective_to": c["effective_to"],
            "bureaus": c["bureaus"], "conditions": [groups[g] for g in sorted(groups)],
        })
    header = (
        f"# Rule tables of v{version.number} ({version.status}). title_zh is for people and ignored on import.\n"
        "# conditions: every group is required (AND); any one condition of a group suffices (OR).\n"
        "# bureaus: the lead first. effective_to is exclusive; null when open-ended.\n"
    )
    data = {"rule_version": version.number, "checksum": version.checksum or content_checksum(content),
            "clauses": clauses}
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


# ---------------------------------------------------------------- cell and value parsing


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _whole_number(raw, where: str, *, minimum: int | None = None, maximum: int = MAX_AMOUNT) -> int | None:
    """An integer cell: ints, integral floats and digit strings; empty is None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"-?\d+", raw.strip()):
        value = int(raw.strip())
    if value is None:
        raise DomainError("not_a_whole_number", field=where)
    if abs(value) > maximum or (minimum is not None and value < minimum):
        raise DomainError("out_of_range", field=where)
    return value


def _date(raw, where: str, *, required: bool) -> dt.date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise DomainError("required", field=where)
        return None
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise DomainError("invalid_date", field=where)
        raw = raw.date()
    try:
        return parse_iso_date(raw.strip() if isinstance(raw, str) else raw, where)
    except FactError as exc:
        raise DomainError(exc.code, field=where, **exc.params) from None


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed")


def _plain_value(raw, where: str, depth: int = 0):
    """A condition value as JSON data: dates become ISO text; anything JSON cannot hold is refused."""
    if depth > 4:
        raise DomainError("invalid_value", field=where, reason=Message("value_too_deep"))
    if raw is None or isinstance(raw, (bool, int, str)):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise DomainError("invalid_value", field=where, reason=Message("value_not_finite"))
        return raw
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise DomainError("invalid_value", field=where, reason=Message("value_has_time"))
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, list):
        return [_plain_value(v, where, depth + 1) for v in raw]
    if isinstance(raw, dict) and all(isinstance(k, str) for k in raw):
        return {k: _plain_value(v, where, depth + 1) for k, v in raw.items()}
    raise DomainError("invalid_value", field=where, reason=Message("value_kind", kind=type(raw).__name__))


def _json_cell(raw, where: str):
    """The value column holds JSON text; a cell Excel typed as a number, boolean or date is taken as it is."""
    if isinstance(raw, str):
        if not raw.strip():
            return None
        try:
            value = json.loads(raw, parse_constant=_reject_constant)
        except ValueError:
            raise DomainError("malformed_json", field=where) from None
        return _plain_value(value, where)
    return _plain_value(raw, where)


def _bureaus(raw, where: str) -> list[str]:
    if isinstance(raw, list):
        if not all(isinstance(b, str) for b in raw):
            raise DomainError("invalid_type", field=where, expected=Message("expected_bureau_names"))
        names = raw
    else:
        names = _text(raw).split(BUREAU_SEPARATOR)
    return [n.strip() for n in names if n.strip()]


# ---------------------------------------------------------------- reading a workbook


_CONDITION_FIELD = re.compile(r"conditions\[(\d+)\]\[(\d+)\]\.(\w+)")
_GROUP_FIELD = re.compile(r"conditions\[(\d+)\](?:\[(\d+)\])?")


class _SheetSource:
    """Maps clause_rule_edit's field names back to the cells a clause's rows came from."""

    def __init__(self, row: int, condition_rows: dict[tuple[int, int], int]):
        self.row, self.condition_rows = row, condition_rows

    def __call__(self, name: str) -> str:
        if name == "version":
            return "draft"
        m = _CONDITION_FIELD.fullmatch(name or "")
        if m and (int(m[1]), int(m[2])) in self.condition_rows:
            return f"conditions!R{self.condition_rows[int(m[1]), int(m[2])]}:{m[3]}"
        m = _GROUP_FIELD.fullmatch(name or "")
        if m and (int(m[1]), int(m[2] or 0)) in self.condition_rows:
            return f"conditions!R{self.condition_rows[int(m[1]), int(m[2] or 0)]}:group"
        if name in CLAUSE_COLUMNS:
            return f"clauses!R{self.row}:{name}"
        return f"clauses!R{self.row}:code"  # "clause", "conditions" and anything else: the clause's row


def _open_workbook(data: bytes):
    if not isinstance(data, (bytes, bytearray)):
        raise DomainError("invalid_file", field="file", format=XLSX_FORMAT)
    if len(data) > MAX_BYTES:
        raise DomainError("file_too_large", field="file", limit_mb=MAX_BYTES // MB)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
        if len(members) > 1000 or sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
            raise DomainError("file_too_large", field="file", limit_mb=MAX_UNZIPPED_BYTES // MB)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds of error on a file that is not xlsx
        raise DomainError("invalid_file", field="file", format=XLSX_FORMAT) from None


def _sheet_rows(wb, name: str, columns: tuple[str, ...], required: tuple[str, ...]):
    """(row number as Excel shows it, {column: raw value}) for each non-blank data row of a sheet."""
    sheet = next((s for s in wb.sheetnames if s.strip().lower() == name), None)
    if sheet is None:
        raise DomainError("missing_sheet", field=name, sheet=name)
    rows = wb[sheet].iter_rows(values_only=True)
    header = next(rows, None) or ()
    index: dict[str, int] = {}
    for j, title in enumerate(header):
        title = _text(title).lower()
        if title in columns:
            if title in index:
                raise DomainError("duplicate_column", field=f"{name}!R1:{title}", column=title)
            index[title] = j
    for column in required:
        if column not in index:
            raise DomainError("missing_column", field=f"{name}!R1:{column}", sheet=name, column=column)
    out = []
    for number, values in enumerate(rows, start=2):
        if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(out) >= MAX_ROWS:
            raise DomainError("too_many_rows", field=f"{name}!R{number}", limit=MAX_ROWS)
        out.append((number, {c: (values[j] if j < len(values) else None) for c, j in index.items()}))
    return out


def _read_workbook(data: bytes) -> list[_ClauseInput]:
    wb = _open_workbook(data)
    try:
        clause_rows = _sheet_rows(wb, "clauses", CLAUSE_COLUMNS, tuple(c for c in CLAUSE_COLUMNS if c not in READ_ONLY_COLUMNS))
        condition_rows = _sheet_rows(wb, "conditions", CONDITION_COLUMNS,
                                     tuple(c for c in CONDITION_COLUMNS if c not in OPTIONAL_CONDITION_COLUMNS))
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails while streaming
        raise DomainError("invalid_file", field="file", format=XLSX_FORMAT) from None
    finally:
        wb.close()

    clauses: dict[str, dict] = {}
    for number, row in clause_rows:
        cell = lambda column: f"clauses!R{number}:{column}"  # noqa: E731
        code = _text(row["code"])
        if not code:
            raise DomainError("required", field=cell("code"))
        if code in clauses:
            raise DomainError("duplicate_row", field=cell("code"), what=code, where=f"clauses!R{clauses[code]['row']}")
        clauses[code] = {
            "row": number,
            "amount_yuan": _whole_number(row["amount_yuan"], cell("amount_yuan")),
            "amount_kind": _text(row["amount_kind"]),
            "effective_from": _date(row["effective_from"], cell("effective_from"), required=True),
            "effective_to": _date(row["effective_to"], cell("effective_to"), required=False),
            "bureaus": _bureaus(row["bureaus"], cell("bureaus")),
            "conditions": {},
        }

    for number, row in condition_rows:
        cell = lambda column: f"conditions!R{number}:{column}"  # noqa: E731
        code = _text(row["clause"])
        if not code:
            raise DomainError("required", field=cell("clause"))
        if code not in clauses:
            raise DomainError("clause_not_listed", field=cell("clause"), clause=code)
        group = _whole_number(row["group"], cell("group"), minimum=0, maximum=32767)
        position = _whole_number(row["position"], cell("position"), minimum=0, maximum=32767)
        for column, value in (("group", group), ("position", position)):
            if value is None:
                raise DomainError("required", field=cell(column))
        seen = clauses[code]["conditions"]
        if (group, position) in seen:
            raise DomainError("duplicate_row", field=cell("position"), where=f"conditions!R{seen[group, position][0]}",
                              what=Message("condition_at", clause=code, group=group, position=position))
        seen[group, position] = (number, {
            "fact": _text(row["fact"]), "operator": _text(row["operator"]),
            "value": _json_cell(row["value"], cell("value")),
            "message_zh": _text(row["message_zh"]) if row["message_zh"] is not None else "",
            "message_en": _text(row["message_en"]) if row["message_en"] is not None else "",
            **{f: _text(row[f]) if row[f] is not None else "" for f in SOURCE_FIELDS if f in row},
        })

    out = []
    for code, c in clauses.items():
        groups: dict[int, list] = {}
        for (group, position), entry in sorted(c["conditions"].items()):
            groups.setdefault(group, []).append(entry)
        rows_at, conditions = {}, []
        for g, group in enumerate(groups[k] for k in sorted(groups)):
            conditions.append([])
            for p, (number, condition) in enumerate(group):
                rows_at[g, p] = number
                conditions[-1].append(condition)
        out.append(_ClauseInput(code, c["amount_yuan"], c["amount_kind"], c["effective_from"], c["effective_to"],
                                c["bureaus"], conditions, _SheetSource(c["row"], rows_at), f"clauses!R{c['row']}:code"))
    return out


# ---------------------------------------------------------------- reading YAML


def _yaml_mark(exc: yaml.YAMLError) -> str:
    """Where the YAML parser stopped, as line:column (PyYAML's own words are English)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "—"


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without aliases, so a small file cannot expand into a huge one."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted", mark)
        return super().compose_node(parent, index)


def _yaml_source(i: int) -> Source:
    def where(name: str) -> str:
        if name == "version":
            return "draft"
        return f"clauses[{i}].{'code' if name == 'clause' else name or 'code'}"

    return where


def _read_yaml(text: str) -> list[_ClauseInput]:
    if not isinstance(text, str):
        raise DomainError("invalid_type", field="file", expected=Message("expected_yaml_text"))
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DomainError("file_too_large", field="file", limit_mb=MAX_BYTES // MB)
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DomainError("invalid_yaml", field="file", where=_yaml_mark(exc)) from None
    if isinstance(data, dict):
        unknown = sorted(str(k) for k in data if k not in YAML_TOP_KEYS)
        if unknown:
            raise DomainError("unknown_key", field=unknown[0], key=unknown[0], expected=sorted(YAML_TOP_KEYS))
        data = data.get("clauses")
    if not isinstance(data, list):
        raise DomainError("invalid_type", field="clauses", expected=Message("expected_clause_list"))
    if len(data) > MAX_ROWS:
        raise DomainError("too_many_rows", field="clauses", limit=MAX_ROWS)

    out, seen, total = [], {}, 0
    for i, item in enumerate(data):
        at = f"clauses[{i}]"
        if not isinstance(item, dict):
            raise DomainError("invalid_type", field=at, expected=Message("expected_clause"))
        for key in item:
            if key not in CLAUSE_KEYS:
                raise DomainError("unknown_key", field=f"{at}.{key}", key=key, expected=sorted(CLAUSE_KEYS))
        for key in ("code", "amount_kind", "effective_from", "bureaus", "conditions"):
            if key not in item:
                raise DomainError("required", field=f"{at}.{key}")
        code = item["code"]
        if not isinstance(code, str) or not code.strip():
            raise DomainError("required", field=f"{at}.code")
        code = code.strip()
        if code in seen:
            raise DomainError("duplicate_row", field=f"{at}.code", what=code, where=f"clauses[{seen[code]}]")
        seen[code] = i
        amount = item.get("amount_yuan")
        if isinstance(amount, str):  # typed data: a quoted number is a mistake worth naming
            raise DomainError("not_a_whole_number", field=f"{at}.amount_yuan")
        kind = item["amount_kind"]
        groups = item["conditions"] if item["conditions"] is not None else []
        if not isinstance(groups, list):
            raise DomainError("invalid_type", field=f"{at}.conditions", expected=Message("expected_condition_groups"))
        conditions = []
        for g, group in enumerate(groups):
            if not isinstance(group, list):
                raise DomainError("invalid_type", field=f"{at}.conditions[{g}]", expected=Message("expected_condition_group"))
            conditions.append([])
            for p, cond in enumerate(group):
                where = f"{at}.conditions[{g}][{p}]"
                total += 1
                if total > MAX_ROWS:
                    raise DomainError("too_many_rows", field=where, limit=MAX_ROWS)
                if not isinstance(cond, dict):
                    raise DomainError("invalid_type", field=where, expected=Message("expected_condition"))
                for key in cond:
                    if key not in CONDITION_KEYS:
                        raise DomainError("unknown_key", field=f"{where}.{key}", key=key, expected=sorted(CONDITION_KEYS))
                conditions[-1].append({
                    "fact": cond.get("fact"), "operator": cond.get("operator"),
                    "value": _plain_value(cond.get("value"), f"{where}.value"),
                    "message_zh": cond.get("message_zh"), "message_en": cond.get("message_en"),
                    **{f: cond[f] for f in SOURCE_FIELDS if f in cond},
                })
        out.append(_ClauseInput(
            code,
            _whole_number(amount, f"{at}.amount_yuan"),
            kind if isinstance(kind, str) else _text(kind),
            _date(item["effective_from"], f"{at}.effective_from", required=True),
            _date(item.get("effective_to"), f"{at}.effective_to", required=False),
            _bureaus(item["bureaus"], f"{at}.bureaus"),
            conditions,
            _yaml_source(i),
            f"{at}.code",
        ))
    return out


# ---------------------------------------------------------------- import


def _apply(*, actor, draft: RuleVersion, clauses: list[_ClauseInput], fmt: str) -> ImportReport:
    with transaction.atomic():
        version = RuleVersion.objects.select_for_update().get(pk=draft.pk)
        if version.status != RuleVersion.Status.DRAFT:
            raise Conflict("not_a_draft", field="draft", version=version.number, status=status_label(version.status))
        existing = {c["clause"]: c for c in version_content(version)}
        for ci in clauses:
            if ci.code not in existing:
                raise DomainError("unknown_clause", field=ci.code_field, clause=ci.code)
        report = ImportReport(version=version.number, format=fmt, clauses=len(clauses))
        for ci in clauses:
            before = {k: v for k, v in existing[ci.code].items() if k not in ("clause", "title_zh", "title_en", "quote")}
            if ci.content() == before:
                continue  # unchanged rows: no edit, no audit noise, and a round trip changes nothing
            try:
                clause_rule_edit(
                    actor=actor, version=version, clause_code=ci.code, amount_yuan=ci.amount_yuan,
                    amount_kind=ci.amount_kind, effective_from=ci.effective_from, effective_to=ci.effective_to,
                    bureaus=ci.bureaus, conditions=ci.conditions,
                )
            except DomainError as exc:
                raise type(exc)(exc.code, field=ci.where(exc.field or ""), **exc.params) from None
            report.changed.append(ci.code)
        RuleEvent.objects.create(version=version, actor=actor, action="import", note=f"{fmt} import",
                                 data={"format": fmt, "clauses": len(clauses), "changed": report.changed})
    return report


def draft_import(*, actor, draft: RuleVersion, data: bytes, fmt: str) -> ImportReport:
    """Apply an edited export (the bytes of an .xlsx or a UTF-8 .yaml file) to a draft: all of it, or none of it."""
    if fmt == "xlsx":
        return draft_import_xlsx(actor=actor, draft=draft, data=data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("invalid_file", field="file", format=YAML_FORMAT) from None
    return draft_import_yaml(actor=actor, draft=draft, text=text)


def import_upload(*, actor, draft: RuleVersion, upload, fmt: str = "") -> ImportReport:
    """An uploaded file to the xlsx or YAML import, by its name (or `fmt`): the page's and the API's one call."""
    if upload is None:
        raise DomainError("required", field="file")
    name = (upload.name or "").lower()
    fmt = fmt or ("xlsx" if name.endswith(".xlsx") else "yaml" if name.endswith((".yaml", ".yml")) else "")
    if fmt not in ("xlsx", "yaml"):
        raise DomainError("file_type_not_allowed", field="file", allowed=[".xlsx", ".yaml"])
    return draft_import(actor=actor, draft=draft, data=upload.read(MAX_BYTES + 1), fmt=fmt)


def export_response(version: RuleVersion, fmt: str) -> HttpResponse:
    """The version as a download: an Excel workbook or YAML, named rules-v12.xlsx / .yaml."""
    if fmt == "xlsx":
        response = HttpResponse(version_export_xlsx(version), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(version_export_yaml(version).encode("utf-8"), content_type=f"{YAML_CONTENT_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rules-v{version.number}.{fmt}"'
    return response


def draft_import_xlsx(*, actor, draft: RuleVersion, data: bytes) -> ImportReport:
    """Apply an edited workbook to a draft: all of it, or, on the first error, none of it."""
    _require_draft(draft)
    return _apply(actor=actor, draft=draft, clauses=_read_workbook(data), fmt="xlsx")


def draft_import_yaml(*, actor, draft: RuleVersion, text: str) -> ImportReport:
    """Apply an edited YAML export to a draft: all of it, or, on the first error, none of it."""
    _require_draft(draft)
    return _apply(actor=actor, draft=draft, clauses=_read_yaml(text), fmt="yaml")


def _require_draft(draft: RuleVersion) -> None:
    # Checked before reading the file too, so a wrong target is named before a file's first error.
    status = RuleVersion.objects.filter(pk=draft.pk).values_list("status", flat=True).first()
    if status != RuleVersion.Status.DRAFT:
        raise Conflict("not_a_draft", field="draft", version=draft.number, status=status_label(status))
