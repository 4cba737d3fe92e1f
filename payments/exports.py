"""The statistics table as a spreadsheet: exactly the rows and columns the page shows (CSV with a BOM, Excel)."""
from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .statistics import Row

BOM = "\ufeff"


def headers(group_label: str) -> list[str]:
    return [group_label, _("Applications"), _("Approved"), _("Amount approved (yuan)"), _("Amount paid (yuan)")]


def cells(row: Row) -> list:
    return [row.key, row.count_applications, row.count_approved, row.amount_approved_yuan, row.amount_paid_yuan]


def table(group_label: str, rows: list[Row], total: Row) -> list[list]:
    return [headers(group_label), *(cells(r) for r in rows), [_("Total"), *cells(total)[1:]]]


def to_csv(lines: list[list]) -> str:
    out = io.StringIO()
    out.write(BOM)
    csv.writer(out).writerows(lines)
    return out.getvalue()


def to_xlsx(lines: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for line in lines:
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
