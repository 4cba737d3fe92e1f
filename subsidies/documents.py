"""The submitted application as a printable document (申报书, PDF): its reference, the organisation, the facts as
stated, the engine's answer with the rule version it used, and the materials.

ReportLab's built-in CID font STSong-Light draws Chinese without a font file (the PDF viewer supplies the glyphs
of the Adobe-GB1 collection), or PORTAL_PDF_FONT names a TrueType font to embed; paragraphs wrap by character
(wordWrap="CJK"), as Chinese text has no spaces.
"""
from __future__ import annotations

import functools
import io

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from catalogue import display
from policy_portal.exceptions import Conflict
from policy_portal.formatting import money
from rules.models import Fact

from .models import Application
from .selectors_applications import application_materials

@functools.cache
def _font(path: str) -> str:
    """`path` (PORTAL_PDF_FONT) embedded when set, so every viewer draws it; else the built-in CID font (no file, not
    embedded: the viewer supplies the glyphs, as Acrobat, WPS and Chinese systems do; a viewer without Chinese fonts
    shows blanks, though the text is there to copy and search). ReportLab embeds TrueType outlines only: WenQuanYi
    Micro Hei (fonts-wqy-microhei) works, the OpenType/CFF Noto CJK fonts do not."""
    if path:
        pdfmetrics.registerFont(TTFont("PortalCJK", path, subfontIndex=0))
        return "PortalCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@functools.cache
def _styles(font: str) -> dict:
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("title", parent=body, fontSize=20, leading=26, alignment=1, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", parent=body, fontSize=13, leading=18, spaceBefore=5 * mm,
                                  spaceAfter=2 * mm),
    }


GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                   ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0"))])
OUTCOMES = {"eligible": gettext_lazy("Eligible"), "needs_review": gettext_lazy("Needs an officer's judgement"),
            "not_eligible": gettext_lazy("Not eligible")}


def fact_rows(facts: dict) -> list[dict]:
    """The stated facts under their questions' labels, choices by their names, in the active language."""
    labels = {f.code: f for f in Fact.objects.filter(code__in=list(facts))}
    rows = []
    for code, value in facts.items():
        fact = labels.get(code)
        shown = value
        if fact and fact.choices:
            names = {c["value"]: (c["en"] if display.is_english() else c["zh"]) for c in fact.choices}
            shown = "、".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(value, value)
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        rows.append({"code": code, "label": display.pick(fact, "label") if fact else code, "value": shown})
    return rows


def _p(text, style: str = "body") -> Paragraph:
    return Paragraph(escape(str(text)), _styles(_font(settings.PORTAL_PDF_FONT))[style])


def _table(rows: list[tuple], widths=(45 * mm, 125 * mm)) -> Table:
    table = Table([[_p(a), _p(b)] for a, b in rows], colWidths=widths)
    table.setStyle(GRID)
    return table


def _minute(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else "—"


def application_pdf(app: Application) -> bytes:
    """The 申报书 of a submitted application, in the active language; Conflict for one never submitted."""
    if app.submitted_at is None:
        raise Conflict("not_submitted", field="status")
    org = app.organisation
    call, materials = application_materials(app)
    evaluation = next((e for e in app.evaluations.all() if e.state == "done"), None)
    story = [
        _p(_("Application form (申报书)"), "title"),
        _p(f"{_('Reference')}: {app.reference}", "heading"),
        _table([
            (_("Clause"), f"{app.clause.code} {display.pick(app.clause, 'title')}"),
            (_("Applicant organisation"), org.name),
            (_("Unified social credit code"), org.credit_code),
            (_("District"), org.district),
            (_("Call for applications"), f"{display.pick(call, 'title')}" if call else _("Rolling (常年受理)")),
            (_("Submitted at"), f"{_minute(app.submitted_at)} ({_('Beijing time')})"),
            (_("Amount requested"), money(app.amount_requested_yuan) if app.amount_requested_yuan else "—"),
            (_("Achievement"), app.achievement_key or "—"),
        ]),
        _p(_("Facts as stated"), "heading"),
        _table([(row["label"], row["value"]) for row in fact_rows(app.facts)] or [("—", "—")]),
    ]
    if app.description:
        story += [_p(_("Description"), "heading"), _p(app.description)]
    story += [_p(_("The engine's evaluation"), "heading")]
    if evaluation is not None:
        story.append(_table([
            (_("Outcome"), OUTCOMES.get(evaluation.outcome, evaluation.outcome)),
            (_("Rule version"), f"v{evaluation.rule_version.number}" if evaluation.rule_version else "—"),
            (_("As of"), evaluation.as_of.isoformat()),
        ]))
    else:
        story.append(_p(_("Being evaluated…")))
    story += [_p(_("Materials"), "heading")]
    rows = [(display.pick(r["material"], "name") + (f" ({_('required')})" if r["material"].required else ""),
             r["attachment"].original_name if r["attachment"] else _("Not uploaded yet.")) for r in materials]
    rows += [(_("Other attachments"), a.original_name) for a in app.attachments.all() if a.material_id is None]
    story.append(_table(rows) if rows else _p(_("None.")))
    story += [Spacer(1, 8 * mm),
              _p(_("Generated by the Chongqing policy portal at %(at)s (Beijing time).") % {"at": _minute(timezone.now())},
                 "small")]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"{app.reference} 申报书", author=org.name,
                      leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm).build(story)
    return buffer.getvalue()
