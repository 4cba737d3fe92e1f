"""The kinds of notification: what each says (title and body with named parameters) and whether it is emailed
by default. Apps register their kinds in AppConfig.ready(); this module imports no app."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext

from policy_portal.messages import fill


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise | str  # for the preferences page
    title: Promise | str
    body: Promise | str = ""
    email: bool = True  # the default when the user has not chosen

    def render(self, field: str, params: dict) -> str:
        return fill(getattr(self, field), params)


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    KINDS[kind.code] = kind


def kind_of(code: str) -> Kind:
    return KINDS.get(code) or Kind(code, code, gettext("Notification"))
