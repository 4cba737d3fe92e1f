"""The targets dashboard as a spreadsheet: Excel (openpyxl) and CSV (UTF-8 with a BOM, so Excel reads the Chinese)."""
from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from catalogue import display

BOM = "\ufeff"


def _headers() -> list[str]:
    return [_("Document"), _("Article"), _("Indicator"), _("Year"), _("Comparison"), _("Target"), _("Actual"),
            _("Unit"), _("Met"), _("Source text")]


def _met(value) -> str:
    if value is None:
        return _("No data yet")
    return _("Yes") if value else _("No")


def _cells(row: dict) -> list:
    return [row["document"], row["article"], display.pick(row, "name"), row["year"], row["op_sign"], row["target"],
            row["actual"], row["unit"], _met(row["met"]), row["quote"]]


def dashboard_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(_headers())
    for row in rows:
        writer.writerow(["" if c is None else c for c in _cells(row)])
    return out.getvalue()


def dashboard_xlsx(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Targets")[:31]
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_cells(row))
    widths = [8, 8, 28, 8, 8, 10, 10, 8, 10, 60]
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
