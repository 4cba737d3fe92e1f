"""Pages call the same services as the API; a service's refusal lands on the form field it names."""
from __future__ import annotations

from django import forms

from .exceptions import DomainError


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show `exc` beside the field it names (the first part of a dotted path), or above the form."""
    field = (exc.field or "").split(".", 1)[0].split("[", 1)[0]
    form.add_error(field if field in form.fields else None, exc.message)
