"""Domain errors: a stable code, the field at fault, parameters, and the HTTP status they mean.

Services raise them with a code and parameters (`DomainError("too_long", field="note", limit=2000)`);
the API (policy_portal.errors) answers {code, message, field} and the pages show `message` beside
the field. The words come from one catalogue (policy_portal.messages) in the active language; a
sentence given here is only the fallback for a code the catalogue does not know yet. `detail` is the
English wording, for logs and the command line. Subclasses set `status`, so policy_portal needs no
knowledge of the apps that raise them.
"""
from __future__ import annotations

from django.utils import translation


class DomainError(Exception):
    status = 400
    log = False  # 5xx errors are ours: the API handler logs them with their detail

    def __init__(self, code: str, message: str = "", field: str | None = None, **params):
        super().__init__(code)
        self.code, self.field, self.params = code, field, params
        self.fallback = message

    @property
    def message(self) -> str:
        """What the refusal says, in the active language."""
        from .messages import render

        return render(self.code, self.params, fallback=self.fallback)

    @property
    def detail(self) -> str:
        """What the refusal says in English (logs, management commands)."""
        with translation.override("en"):
            return self.message

    def __str__(self) -> str:
        return self.detail


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class TooLarge(DomainError):
    status = 413


class Unavailable(DomainError):
    """We cannot answer right now (the rule engine failed, nothing is published): 503, logged."""

    status = 503
    log = True
