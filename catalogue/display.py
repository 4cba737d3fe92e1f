"""How catalogue data reads to people in the active language: bilingual fields, amounts, windows, labels.

Pure presentation shared by the pages and the checker's script data; no queries here.
"""
from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from policy_portal.formatting import is_english, money  # noqa: F401 - re-exported for templates and pages

from .amounts import amount_differs

AMOUNT_KINDS = {
    "cap": gettext_lazy("Ceiling"),
    "fixed": gettext_lazy("Fixed sum"),
    "equity": gettext_lazy("Equity investment"),
    "none": gettext_lazy("Non-monetary"),
    "unspecified": gettext_lazy("Sum not stated"),
}

# Article keys that are not numbered in the text.
SPECIAL_ARTICLES = {
    "preamble": gettext_lazy("Preamble"),
    "scope": gettext_lazy("Period and scope of application"),
}

SECTIONS = {
    "organisation": gettext_lazy("Organisation"),
    "field": gettext_lazy("Future-industry field"),
    "projects": gettext_lazy("Technology projects"),
    "platforms": gettext_lazy("Innovation platforms"),
    "complex": gettext_lazy("Industry innovation complex"),
    "standards": gettext_lazy("Intellectual property and standards"),
    "incubation": gettext_lazy("Incubation"),
    "recognitions": gettext_lazy("Enterprise recognitions"),
    "products": gettext_lazy("Products and scenarios"),
    "infrastructure": gettext_lazy("Industrial infrastructure"),
    "talent": gettext_lazy("Talent"),
    "finance": gettext_lazy("Finance"),
    "iic": gettext_lazy("Municipal industry innovation centres"),
    "prior_support": gettext_lazy("Support already received for the same item"),
}


def pick(obj, field: str) -> str:
    """`obj.<field>_en` in English, else `obj.<field>_zh`; works on model rows and API dicts."""
    def get(name):
        return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)

    if is_english():
        return get(f"{field}_en") or get(f"{field}_zh") or ""
    return get(f"{field}_zh") or ""


def bureau_name(bureau) -> str:
    """A bureau under the short name the documents print (市经济信息委), or its English name ("" for none)."""
    if bureau is None:
        return ""
    return bureau.name_en if is_english() else bureau.short_name_zh


def amount(yuan: int | None, kind: str) -> str:
    """最高 3,000 万元 / Up to CNY 30,000,000; 50 万元; 股权投资 最高 200 万元; 非资金支持; 未明确金额."""
    if kind == "none":
        return gettext("Non-monetary support")
    if yuan is None or kind == "unspecified":
        return gettext("Amount not stated")
    if kind == "cap":
        return gettext("Up to %(amount)s") % {"amount": money(yuan)}
    if kind == "equity":
        return gettext("Equity investment of up to %(amount)s") % {"amount": money(yuan)}
    return money(yuan)


def amount_kind(kind: str) -> str:
    return str(AMOUNT_KINDS.get(kind, kind))


def amount_badge(kind: str) -> str:
    """The kind beside an amount, or nothing where the amount already says it (非资金支持, 未明确金额)."""
    return "" if kind in ("none", "unspecified") else amount_kind(kind)


def amount_note(quote: str, yuan: int | None, kind: str) -> str:
    """Said plainly beside an amount that the bureau set otherwise than the document's words; "" when they agree."""
    stated = amount_differs(quote, yuan, kind)
    if stated is None:
        return ""
    if not stated:
        return gettext("This figure was set by the responsible bureau; the document itself states no sum.")
    return gettext("This figure was set by the responsible bureau and differs from the document, which states "
                   "%(stated)s.") % {"stated": "、".join(s.words for s in stated)}


def window(start: dt.date, end: dt.date | None) -> str:
    """A validity window; `end` is exclusive, so the last day shown is the day before it."""
    if end is None:
        return gettext("from %(start)s, open-ended") % {"start": date_format(start)}
    return gettext("%(start)s to %(end)s") % {
        "start": date_format(start),
        "end": date_format(end - dt.timedelta(days=1)),
    }


def article_label(article) -> str:
    """第十条 / 4.促进知识产权运营转化 / 附件 2… in Chinese; Article 10 / §4 Promote … / Annex 2 … in English."""
    special = SPECIAL_ARTICLES.get(article.key)
    if special is not None:
        return str(special)
    if is_english():
        if article.number_zh.startswith("第") and article.number_zh.endswith("条"):
            number = gettext("Article %(number)s") % {"number": article.key}
        elif article.number_zh.startswith("附件"):
            number = gettext("Annex %(number)s") % {"number": article.number_zh.removeprefix("附件").strip()}
        else:
            number = f"§{article.key}"
        return f"{number} {article.heading_en}".strip()
    return f"{article.number_zh}{article.heading_zh}".strip() or article.key


def section_label(section: str) -> str:
    return str(SECTIONS.get(section, section))
