"""Template helpers for the registers: {{ value|choice:labels_field }} needs `labels` in the context."""
from decimal import Decimal

from django import template

from carriers import display

register = template.Library()


@register.simple_tag(takes_context=True)
def choice(context, field, value):
    """{% choice "mode" entry.mode %}: the value's name in the active language."""
    return display.label(context.get("labels") or {}, field, value)


@register.filter
def plain(value):
    """12 rather than 12.00, 4.5 rather than 4.50; — for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
