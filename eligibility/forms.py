"""The checker's questionnaire: one form field per fact of the vocabulary, in the active language.

A field left empty means "not stated" and is left out of the facts, as the API expects.
"""
from __future__ import annotations

import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue import display
from rules.models import Fact
from rules.operators import FactType

NOT_STATED = _("Not stated")


def _describedby(fact: Fact) -> str:
    ids = [f"err-{fact.code}"]
    if display.pick(fact, "help"):
        ids.insert(0, f"help-{fact.code}")
    return " ".join(ids)


def fact_field(fact: Fact) -> forms.Field:
    label = display.pick(fact, "label")
    attrs = {"aria-describedby": _describedby(fact)}
    common = {"label": label, "required": False}
    if fact.type == FactType.BOOL:
        return forms.TypedChoiceField(
            choices=[("true", _("Yes")), ("false", _("No")), ("", NOT_STATED)],
            coerce=lambda value: value == "true",
            empty_value=None,
            initial="",
            widget=forms.RadioSelect,
            **common,
        )
    choices = [(c["value"], c["en"] if display.is_english() else c["zh"]) for c in fact.choices]
    if fact.type == FactType.ENUM:
        return forms.ChoiceField(choices=[("", NOT_STATED), *choices], widget=forms.Select(attrs=attrs), **common)
    if fact.type == FactType.MULTI:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if fact.type == FactType.DATE:
        return forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", **attrs}), **common)
    if fact.type in (FactType.INT, FactType.MONEY):
        low = fact.min_value if fact.min_value is not None else (0 if fact.type == FactType.MONEY else None)
        return forms.IntegerField(
            min_value=low,
            max_value=fact.max_value,
            widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric", **attrs}),
            **common,
        )
    if fact.type == FactType.RATIO:
        return forms.DecimalField(
            min_value=0,
            max_value=100,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", **attrs}),
            **common,
        )
    return forms.CharField(max_length=200, widget=forms.TextInput(attrs=attrs), **common)


class FactsForm(forms.Form):
    as_of = forms.DateField(
        label=_("Check as of"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "aria-describedby": "help-as_of err-as_of"}),
    )

    def __init__(self, *args, facts: list[Fact], **kwargs):
        kwargs.setdefault("initial", {"as_of": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.facts = facts
        for fact in facts:
            self.fields[fact.code] = fact_field(fact)

    def sections(self) -> list[dict]:
        """Questions grouped by section, sections in the vocabulary's order."""
        out: list[dict] = []
        for fact in self.facts:
            if not out or out[-1]["code"] != fact.section:
                out.append({"code": fact.section, "title": display.section_label(fact.section), "questions": []})
            out[-1]["questions"].append(
                {"fact": fact, "field": self[fact.code], "help": display.pick(fact, "help"), "unit": _unit(fact)}
            )
        return out

    def stated_facts(self) -> dict:
        """The stated facts in the API's JSON form (dates as YYYY-MM-DD, percentages as text)."""
        return stated(self.facts, self.cleaned_data)


def stated(facts: list[Fact], cleaned_data: dict) -> dict:
    out = {}
    for fact in facts:
        value = cleaned_data.get(fact.code)
        if value in (None, "", []):
            continue
        if fact.type == FactType.DATE:
            value = value.isoformat()
        elif fact.type == FactType.RATIO:
            value = str(value)
        out[fact.code] = value
    return out


UNSURE = _("Not sure")


class StepForm(forms.Form):
    """One step of the interview: a few questions, each answerable as 不确定 (not sure); on the first step also
    the day to check as of and the topics to narrow to. An empty answer means "does not apply"."""

    def __init__(self, *args, facts: list[Fact], opening: bool = False, topics: list[tuple[str, str]] = (),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.facts = facts
        for fact in facts:
            field = fact_field(fact)
            if fact.type == FactType.BOOL:
                field.choices = [("true", _("Yes")), ("false", _("No"))]
            self.fields[fact.code] = field
        self.fields["unsure"] = forms.MultipleChoiceField(
            required=False, choices=[(f.code, UNSURE) for f in facts], widget=forms.CheckboxSelectMultiple)
        self.opening = opening
        if opening:
            self.fields["topics"] = forms.MultipleChoiceField(
                label=_("What would you like support for?"), required=False, choices=topics,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Only questions about what you tick are asked; tick nothing to be asked about everything."))
            self.fields["as_of"] = copy.deepcopy(FactsForm.base_fields["as_of"])

    def questions(self) -> list[dict]:
        unsure = {option.data["value"]: option for option in self["unsure"]}
        return [{"fact": f, "field": self[f.code], "help": display.pick(f, "help"), "unit": _unit(f),
                 "unsure": unsure[f.code], "section": display.section_label(f.section)} for f in self.facts]

    def answers(self) -> tuple[dict, set[str], set[str]]:
        """(stated facts, unsure codes, declined codes) of this step's questions."""
        unsure = set(self.cleaned_data.get("unsure") or [])
        facts = {k: v for k, v in stated(self.facts, self.cleaned_data).items() if k not in unsure}
        declined = {f.code for f in self.facts} - unsure - set(facts)
        return facts, unsure, declined


def _unit(fact: Fact) -> str:
    if fact.type == FactType.MONEY:
        return str(_("yuan"))
    if fact.type == FactType.RATIO:
        return "%"
    return ""
