"""How the registers read to people in the active language: the documents' kinds and ratings, Chinese or English.

The kinds, modes, levels and ratings are the facts vocabulary's choices (fixtures/facts.yaml),
so their English names come from there; the rest are translated here.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from catalogue import display
from rules.models import Fact

# Register field → the fact whose choices name its values.
CHOICE_FACTS = {
    "mode": "rie_mode",
    "complex_kind": "complex_kind",
    "carrier_kind": "carrier_kind",
    "level": "incubator_level",
    "miit_grade": "miit_incubator_grade",
    "rating": "complex_assessment",
    "field": "future_industry_field",
    "governance": "complex_governance",
    "iic_functions": "iic_functions",
    "iic_mechanisms": "iic_mechanisms",
    "rie_functions": "rie_functions",
}

OTHER_LABELS = {
    "status": {
        "active": gettext_lazy("In operation"),
        "warned": gettext_lazy("Warned: rectification ordered"),
        "exited": gettext_lazy("Exited the register"),
    },
    "change_state": {
        "pending": gettext_lazy("To be reported"),
        "overdue": gettext_lazy("Overdue"),
        "reported": gettext_lazy("Reported"),
        "reported_late": gettext_lazy("Reported late"),
        "confirmed": gettext_lazy("Confirmed"),
    },
    "status_cause": {
        "warn": gettext_lazy("Warned by an officer"),
        "restore": gettext_lazy("Restored by an officer"),
        "exit": gettext_lazy("Exited by an officer"),
        "assessment": gettext_lazy("Rated 不合格 in the year's assessment"),
        "evaluation": gettext_lazy("Adjusted after the evaluation (IIC-14)"),
        "fraud": gettext_lazy("Adjusted after verified fraud (IIC-15)"),
    },
    "adjustment": {
        "retain": gettext_lazy("Retained"),
        "rectify": gettext_lazy("Rectification within a time limit"),
        "remove": gettext_lazy("Removed from the centres"),
    },
}

REGISTER_TITLES = {
    "institutes": gettext_lazy("Industry research institutes"),
    "complexes": gettext_lazy("Industry innovation complexes"),
    "incubators": gettext_lazy("Incubation carriers"),
    "centres": gettext_lazy("Municipal industry innovation centres"),
}


# The targets' units as printed; in English a count needs none.
UNITS_EN = {"个": "", "项": "", "次": "", "家/年": "", "%": "%"}


def unit(value: str) -> str:
    return UNITS_EN.get(value, value) if display.is_english() else value


def choice_labels() -> dict[str, dict[str, str]]:
    """{register field: {value: label in the active language}}; one query."""
    facts = {f.code: f for f in Fact.objects.filter(code__in=set(CHOICE_FACTS.values()))}
    english = display.is_english()
    out: dict[str, dict[str, str]] = {}
    for name, code in CHOICE_FACTS.items():
        fact = facts.get(code)
        out[name] = {c["value"]: (c["en"] if english else c["zh"]) for c in (fact.choices if fact else [])}
    for name, labels in OTHER_LABELS.items():
        out[name] = {value: str(label) for value, label in labels.items()}
    # The incubator family's own names, where the vocabulary qualifies them for the checker
    out["carrier_kind"]["incubator"] = str(gettext_lazy("Technology-enterprise incubator"))
    out["carrier_kind"]["research_institute"] = str(gettext_lazy("Industry research institute"))
    return out


def label(labels: dict, field: str, value) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(label(labels, field, v) for v in value) if not display.is_english() else ", ".join(
            label(labels, field, v) for v in value)
    return labels.get(field, {}).get(value, value or "")
