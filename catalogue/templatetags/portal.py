"""Template filters for reading catalogue data in the active language (see catalogue.display)."""
from django import template

from catalogue import display

register = template.Library()


@register.filter
def tr(obj, field):
    """{{ clause|tr:"title" }}: title_en in English, title_zh otherwise."""
    return display.pick(obj, field)


@register.filter
def bureau(value):
    return display.bureau_name(value)


@register.simple_tag
def amount(yuan, kind):
    return display.amount(yuan, kind)


@register.filter
def amount_kind(kind):
    return display.amount_kind(kind)


@register.filter
def amount_badge(kind):
    return display.amount_badge(kind)


@register.simple_tag
def amount_note(quote, yuan, kind):
    return display.amount_note(quote, yuan, kind)


@register.filter
def article_label(article):
    return display.article_label(article)


@register.simple_tag
def window(start, end):
    return display.window(start, end)
