"""The rule administration pages' forms: a clause's fields, its condition rows, a case of the library.

Forms turn what was typed into the services' arguments (whole yuan, dates, lists, JSON values); the
services then refuse what does not fit the rule tables, and the page places their refusals on the
same fields. Every error message comes from the catalogue (policy_portal.messages).
"""
from __future__ import annotations

import json
import re

from django import forms
from django.forms.formsets import ManagementForm
from django.utils.functional import cached_property

from policy_portal.messages import Message

from .models import ClauseRule, GoldenCase

BUREAU_SPLIT = re.compile(r"[、,，;；\s]+")
CONDITION_COLUMNS = ("group", "fact", "operator", "value", "message_zh", "message_en")
DATE_FORMATS = ["%Y-%m-%d"]


class WholeYuanField(forms.CharField):
    """A sum in whole yuan; digits with optional thousands separators; empty is None."""

    def to_python(self, value):
        text = re.sub(r"[,，\s]", "", super().to_python(value))
        if not text:
            return None
        if not re.fullmatch(r"\d{1,16}", text):
            raise forms.ValidationError(Message("not_a_whole_number"), code="not_a_whole_number")
        return int(text)


class IsoDateField(forms.DateField):
    default_error_messages = {"invalid": Message("invalid_date"), "required": Message("required")}

    def __init__(self, **kwargs):
        super().__init__(input_formats=DATE_FORMATS, **kwargs)


def parse_value(text: str):
    """A condition's value: JSON as typed; text that is not JSON is taken as a string (so 2026-01-01 or
    enterprise work unquoted); empty is None."""
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def value_text(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


class ClauseForm(forms.Form):
    """A clause's amount, validity window and bureaus; the kind and the bureaus are checked by clause_rule_edit."""

    amount_kind = forms.CharField(required=False)
    amount_yuan = WholeYuanField(required=False)
    effective_from = IsoDateField()
    effective_to = IsoDateField(required=False)
    bureaus = forms.CharField(required=False)

    @classmethod
    def initial_for(cls, rule: ClauseRule) -> dict:
        return {"amount_yuan": "" if rule.amount_yuan is None else str(rule.amount_yuan), "amount_kind": rule.amount_kind,
                "effective_from": rule.effective_from.isoformat(),
                "effective_to": rule.effective_to.isoformat() if rule.effective_to else "",
                "bureaus": "、".join(b.bureau.short_name_zh for b in rule.ordered_bureaus)}

    def clean_bureaus(self) -> list[str]:
        return [b for b in BUREAU_SPLIT.split(self.cleaned_data["bureaus"]) if b]


class ConditionForm(forms.Form):
    """One condition row. A row without a fact is left out: that is how a condition is removed without the script."""

    group = forms.CharField(required=False)
    fact = forms.CharField(required=False)
    operator = forms.CharField(required=False)
    value = forms.CharField(required=False)
    message_zh = forms.CharField(required=False)
    message_en = forms.CharField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("fact") and not (re.fullmatch(r"\d{1,3}", data.get("group", "")) and int(data["group"]) >= 1):
            self.add_error("group", forms.ValidationError(Message("not_a_whole_number"), code="not_a_whole_number"))
        return data

    def condition(self) -> dict | None:
        """The condition as clause_rule_edit takes it, or None for a row left empty."""
        data = self.cleaned_data
        if not data.get("fact"):
            return None
        return {"fact": data["fact"], "operator": data["operator"], "value": parse_value(data["value"]),
                "message_zh": data["message_zh"], "message_en": data["message_en"]}


class BaseConditionFormSet(forms.BaseFormSet):
    """The page numbers its rows, and its script adds and removes rows: the count is read from the rows posted
    (cond-<n>-fact), so no TOTAL_FORMS has to be kept in step and a removed row is simply an empty one."""

    @cached_property
    def management_form(self):
        if not self.is_bound:
            return super().management_form
        rows = [int(m[1]) for key in self.data if (m := re.fullmatch(rf"{self.prefix}-(\d+)-fact", key))]
        form = ManagementForm(auto_id=self.auto_id, prefix=self.prefix, data={
            f"{self.prefix}-TOTAL_FORMS": max(rows, default=-1) + 1, f"{self.prefix}-INITIAL_FORMS": 0})
        form.full_clean()
        return form

    def conditions(self) -> tuple[list[list[dict]], dict[tuple[int, int], int]]:
        """Groups of alternatives for clause_rule_edit, and the row each (group, position) came from."""
        used = [(int(form.cleaned_data["group"]), i) for i, form in enumerate(self.forms) if form.condition()]
        groups: dict[int, list[int]] = {}
        for number, i in sorted(used, key=lambda item: item[0]):  # stable: rows keep their order within a group
            groups.setdefault(number, []).append(i)
        conditions, where = [], {}
        for g, members in enumerate(groups[n] for n in sorted(groups)):
            conditions.append([self.forms[i].condition() for i in members])
            where.update({(g, p): i for p, i in enumerate(members)})
        return conditions, where


ConditionFormSet = forms.formset_factory(ConditionForm, formset=BaseConditionFormSet, extra=0)


def condition_rows(rule: ClauseRule) -> list[dict]:
    return [{"group": str(c.group + 1), "fact": c.fact_id, "operator": c.operator, "value": value_text(c.value),
             "message_zh": c.message_zh, "message_en": c.message_en} for c in rule.ordered_conditions]


def blank_row(group: int) -> dict:
    return {"group": str(group), **{column: "" for column in CONDITION_COLUMNS[1:]}}


class FactsField(forms.CharField):
    """Facts written as a JSON object."""

    def to_python(self, value):
        try:
            facts = json.loads(super().to_python(value) or "{}")
        except ValueError:
            facts = None
        if not isinstance(facts, dict):
            raise forms.ValidationError(Message("invalid_json"), code="invalid_json")
        return facts


class CaseForm(forms.Form):
    """A new case of the library; its name, clause, facts and outcome are checked by golden_case_create."""

    name = forms.CharField(required=False)
    clause = forms.CharField(required=False)
    as_of = IsoDateField()
    facts = FactsField(required=False)
    expected = forms.CharField(required=False)
    amount_yuan = WholeYuanField(required=False)

    EMPTY = {"name": "", "clause": "", "as_of": "", "facts": "{}", "expected": GoldenCase.Expected.ELIGIBLE,
             "amount_yuan": ""}


class CaseEditForm(forms.Form):
    expected = forms.CharField(required=False)
    amount_yuan = WholeYuanField(required=False)
