"""Official lists in: read an Excel or CSV file under its kind's saved column mapping, preview, apply all or nothing.

Rows are matched by 统一社会信用代码 (GB 32100 check digit, accounts.credit_code); a code we do not know
becomes a prospective organisation that claims its facts when it registers. Every error names its row
(as the spreadsheet numbers it) and its column; a file with any error applies nothing. Dates may be
written as Excel serial numbers, 2026年5月20日, 2026/5/20 or 2026-05-20; an enum may be given by its
Chinese or English label. A title row or merged cells above the header are skipped: the header is the
first row that holds the credit code's column.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

from django.db import transaction
from django.utils import timezone

from accounts.credit_code import CreditCodeError, validate_credit_code
from accounts.models import Organisation, Role
from accounts.selectors import role_of
from policy_portal.exceptions import DomainError, NotAllowed, NotFound
from rules.models import Fact
from rules.operators import FactError, FactType, normalise_value
from rules.selectors import fact_spec

from ..models import ListImport, ListKind, OrganisationFact, ProspectiveOrganisation, Source

MB = 1024 * 1024
MAX_BYTES = 20 * MB
MAX_UNZIPPED_BYTES = 200 * MB
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 10
MAX_ERRORS_KEPT = 500
CREDIT_CODE, NAME = "credit_code", "name"
EXCEL_EPOCH = dt.date(1899, 12, 30)
CN_DATE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
TRUE_WORDS, FALSE_WORDS = {"是", "true", "1", "y", "yes", "有"}, {"否", "false", "0", "n", "no", "无"}


def _header_key(raw) -> str:
    return re.sub(r"\s+", "", str(raw or ""))


def _require_admin(actor) -> None:
    if role_of(actor) != Role.ADMIN:
        raise NotAllowed("permission_denied")


# ---------------------------------------------------------------- reading the file


def _table(data: bytes, file_name: str) -> list[tuple]:
    """All rows of the file's first sheet as tuples of raw cell values."""
    if len(data) > MAX_BYTES:
        raise DomainError("file_too_large", field="file", limit_mb=MAX_BYTES // MB)
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if sum(m.file_size for m in archive.infolist()) > MAX_UNZIPPED_BYTES:
                    raise DomainError("file_too_large", field="file", limit_mb=MAX_UNZIPPED_BYTES // MB)
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            rows = list(wb.worksheets[0].iter_rows(values_only=True))
            wb.close()
            return rows
        except DomainError:
            raise
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a file that is not xlsx
            raise DomainError("list_unreadable", field="file") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError("list_unreadable", field="file")
    if "\x00" in text:
        raise DomainError("list_unreadable", field="file")
    try:
        return [tuple(r) for r in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise DomainError("list_unreadable", field="file") from None


def _blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def parse_date(raw) -> str:
    """ISO text of a date cell: a date, an Excel serial number, 2026年5月20日, 2026/5/20 or 2026-05-20."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and 1 <= raw < 2958466:
            return (EXCEL_EPOCH + dt.timedelta(days=int(raw))).isoformat()
        raise ValueError(raw)
    text = str(raw).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return parse_date(int(float(text)))
    m = CN_DATE.match(text)
    if not m:
        raise ValueError(raw)
    return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()


def fact_labels(fact: Fact) -> dict[str, str]:
    out = {}
    for choice in fact.choices or []:
        for key in (choice["value"], choice.get("zh", ""), choice.get("en", "")):
            if key:
                out[_header_key(key).lower()] = choice["value"]
    return out


def cell_value(fact: Fact, labels: dict, raw):
    """The fact's raw value (as the check API takes it) from a cell, or ValueError / FactError."""
    t = fact.type
    if t == FactType.DATE:
        try:
            return parse_date(raw)
        except (ValueError, OverflowError):
            raise DomainError("list_bad_date") from None
    text = str(raw).strip() if not isinstance(raw, (int, float)) else raw
    if t == FactType.BOOL:
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    elif t in (FactType.INT, FactType.MONEY):
        if isinstance(raw, str) and re.fullmatch(r"-?[\d,]+", raw.strip()):
            return int(raw.strip().replace(",", ""))
        return raw
    elif t == FactType.ENUM:
        return labels.get(_header_key(text).lower(), text)
    elif t == FactType.MULTI:
        return [labels.get(_header_key(p).lower(), p.strip()) for p in re.split(r"[、,，;；]", str(text)) if p.strip()]
    return text


def read_list(kind: ListKind, data: bytes) -> tuple[list[dict], list[dict]]:
    """(rows, errors): each row {row, credit_code, name, facts}; each error {row, column, code, message}."""
    mapping = {_header_key(k): v for k, v in (kind.mapping or {}).items()}
    code_columns = [k for k, v in mapping.items() if v == CREDIT_CODE]
    if not code_columns:
        raise DomainError("list_no_credit_code_column", field="mapping")
    facts = {f.code: f for f in Fact.objects.filter(code__in=[v for v in mapping.values() if v not in (CREDIT_CODE, NAME)])}
    for target in mapping.values():
        if target not in (CREDIT_CODE, NAME) and target not in facts:
            raise DomainError("list_mapping_invalid", field="mapping", target=target)
    table = _table(data, "")
    header_at = next((i for i, r in enumerate(table[:HEADER_SEARCH_ROWS])
                      if code_columns[0] in {_header_key(c) for c in r}), None)
    if header_at is None:
        raise DomainError("list_column_missing", field="file", column=code_columns[0])
    header = [_header_key(c) for c in table[header_at]]
    index = {}
    for column, target in mapping.items():
        if column not in header:
            if target == NAME:
                continue
            raise DomainError("list_column_missing", field="file", column=column)
        index[column] = header.index(column)
    specs = {code: fact_spec(f) for code, f in facts.items()}
    labels = {code: fact_labels(f) for code, f in facts.items()}
    rows, errors, seen = [], [], {}
    data_rows = [(header_at + 2 + j, r) for j, r in enumerate(table[header_at + 1:]) if not _blank(r)]
    if not data_rows:
        raise DomainError("list_empty", field="file")
    if len(data_rows) > MAX_ROWS:
        raise DomainError("list_too_many_rows", field="file", limit=MAX_ROWS)

    def error(number, column, exc: DomainError):
        errors.append({"row": number, "column": column, "code": exc.code, "message": exc.message})

    for number, values in data_rows:
        cell = {column: (values[j] if j < len(values) else None) for column, j in index.items()}
        entry = {"row": number, "credit_code": "", "name": "", "facts": dict(kind.constants or {})}
        for column, target in mapping.items():
            if column not in cell:
                continue
            raw = cell[column]
            if target == CREDIT_CODE:
                try:
                    entry["credit_code"] = validate_credit_code(str(raw or "").replace(" ", ""))
                except CreditCodeError as exc:
                    error(number, column, exc)
                    continue
                other = seen.setdefault(entry["credit_code"], number)
                if other != number:
                    error(number, column, DomainError("list_duplicate_code", credit_code=entry["credit_code"], other=other))
            elif target == NAME:
                entry["name"] = str(raw or "").strip()[:120]
            elif raw is None or (isinstance(raw, str) and not raw.strip()):
                continue  # an empty cell states nothing
            else:
                try:
                    value = cell_value(facts[target], labels[target], raw)
                    normalise_value(specs[target], value, target)
                except FactError as exc:
                    error(number, column, DomainError("list_bad_value", fact=facts[target].label_zh, value=str(raw)[:40]))
                    continue
                except DomainError as exc:
                    error(number, column, exc)
                    continue
                entry["facts"][target] = value
        rows.append(entry)
    return rows, errors


# ---------------------------------------------------------------- preview and apply


def _changes(rows: list[dict]) -> dict:
    codes = [r["credit_code"] for r in rows if r["credit_code"]]
    orgs = dict(Organisation.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
    prospects = set(ProspectiveOrganisation.objects.filter(credit_code__in=codes, claimed_by__isnull=True)
                    .values_list("credit_code", flat=True))
    held: dict[tuple[int, str], object] = {
        (o, f): v for o, f, v in OrganisationFact.objects.filter(organisation_id__in=orgs.values(), source=Source.IMPORTED)
        .values_list("organisation_id", "fact", "value")}
    summary = {"rows": len(rows), "organisations": 0, "prospects_new": 0, "prospects_known": 0,
               "facts_added": 0, "facts_changed": 0, "facts_same": 0}
    for r in rows:
        org = orgs.get(r["credit_code"])
        r["organisation"] = org
        if org is None:
            summary["prospects_known" if r["credit_code"] in prospects else "prospects_new"] += 1
        else:
            summary["organisations"] += 1
        changes = {}
        for fact, value in r["facts"].items():
            before = held.get((org, fact)) if org else None
            state = "added" if before is None else ("same" if before == value else "changed")
            summary[f"facts_{state}"] += 1
            changes[fact] = state
        r["changes"] = changes
    return summary


@transaction.atomic
def list_import_preview(*, actor, kind_code: str, data: bytes, file_name: str,
                        mapping: dict | None = None) -> ListImport:
    """Read the file and record what applying it would change; nothing changes until it is applied."""
    _require_admin(actor)
    kind = ListKind.objects.select_for_update().filter(code=kind_code).first()
    if kind is None:
        raise DomainError("unknown_list_kind", field="kind", kind=kind_code)
    if mapping is not None:
        if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
            raise DomainError("invalid_type", field="mapping", expected="{column: fact}")
        kind.mapping = mapping  # saved for the next file of this kind
        kind.save(update_fields=["mapping", "updated_at"])
    rows, errors = read_list(kind, data)
    summary = _changes(rows)
    summary["errors"] = errors[:MAX_ERRORS_KEPT]
    summary["error_count"] = len(errors)
    return ListImport.objects.create(kind=kind, file_name=(file_name or "list")[:200], rows=rows, summary=summary,
                                     created_by=actor)


def _store(rows: list[dict], *, holder: str, ids: dict[str, int], list_import: ListImport, now) -> None:
    by_fact: dict[str, list[int]] = {}
    for r in rows:
        for fact in r["facts"]:
            by_fact.setdefault(fact, []).append(ids[r["credit_code"]])
    for fact, holders in by_fact.items():
        OrganisationFact.objects.filter(**{f"{holder}_id__in": holders}, fact=fact, source=Source.IMPORTED).delete()
    OrganisationFact.objects.bulk_create(
        [OrganisationFact(**{f"{holder}_id": ids[r["credit_code"]]}, fact=fact, value=value, source=Source.IMPORTED,
                          confirmed_at=now, list_import=list_import)
         for r in rows for fact, value in r["facts"].items()], batch_size=2000)


@transaction.atomic
def list_import_apply(*, actor, import_id: int) -> ListImport:
    """Write the previewed rows' facts (imported source) and start matching the organisations they touch."""
    from .matching import matching_start_for

    _require_admin(actor)
    record = ListImport.objects.select_for_update().filter(pk=import_id).first()
    if record is None:
        raise NotFound("not_found", field="import")
    if record.state != ListImport.State.PREVIEW:
        raise DomainError("list_not_preview", field="import")
    if record.summary.get("error_count"):
        raise DomainError("list_has_errors", field="file", count=record.summary["error_count"])
    now = timezone.now()
    rows = record.rows
    codes = [r["credit_code"] for r in rows]
    orgs = dict(Organisation.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
    known = [r for r in rows if r["credit_code"] in orgs]
    unknown = [r for r in rows if r["credit_code"] not in orgs]
    ProspectiveOrganisation.objects.bulk_create(
        [ProspectiveOrganisation(credit_code=r["credit_code"], name=r["name"] or r["credit_code"]) for r in unknown],
        ignore_conflicts=True, batch_size=2000)
    prospects = dict(ProspectiveOrganisation.objects.filter(credit_code__in=[r["credit_code"] for r in unknown])
                     .values_list("credit_code", "pk"))
    _store(known, holder="organisation", ids=orgs, list_import=record, now=now)
    _store(unknown, holder="prospect", ids=prospects, list_import=record, now=now)
    record.state, record.applied_at = ListImport.State.APPLIED, now
    record.job = matching_start_for(organisation_ids=list(orgs.values()), trigger="list",
                                    key=f"matching:list:{record.pk}")
    record.save(update_fields=["state", "applied_at", "job"])
    return record


@transaction.atomic
def list_import_discard(*, actor, import_id: int) -> None:
    _require_admin(actor)
    updated = ListImport.objects.filter(pk=import_id, state=ListImport.State.PREVIEW).update(
        state=ListImport.State.DISCARDED)
    if not updated:
        raise DomainError("list_not_preview", field="import")
