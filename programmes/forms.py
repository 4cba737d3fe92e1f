"""The call editor's form: the call, its review time limits and its materials (a formset)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Clause
from policy_portal.uploads import EXTENSIONS


class CallForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=250, required=False)
    clause_codes = forms.MultipleChoiceField(label=_("Clauses"), widget=forms.CheckboxSelectMultiple)
    opens_at = forms.DateTimeField(label=_("Opens at (Beijing time)"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Closes at (Beijing time)"), required=False,
                                    help_text=_("Leave empty for a rolling call (常年受理)."),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    guide_zh = forms.CharField(label=_("Application guide (申报指南)"), widget=forms.Textarea(attrs={"rows": 6}),
                               required=False, max_length=20000)
    days_single = forms.IntegerField(label=_("Working days for a decision"), min_value=1, max_value=120, initial=20)
    days_district = forms.IntegerField(label=_("Working days for the district's review"), min_value=1, max_value=120,
                                       initial=10)
    days_city = forms.IntegerField(label=_("Working days for the municipal decision"), min_value=1, max_value=120,
                                   initial=20)
    appeal_days = forms.IntegerField(label=_("Working days to ask for a review (复核)"), min_value=1, max_value=60,
                                     initial=15)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause_codes"].choices = [
            (c.code, f"{c.code} {c.title_zh}") for c in Clause.objects.exclude(kind=Clause.Kind.FRAMEWORK).order_by("position")]


class MaterialForm(forms.Form):
    name_zh = forms.CharField(label=_("Material (Chinese)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("Material (English)"), max_length=160, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    extensions = forms.MultipleChoiceField(label=_("Accepted file types"), required=False, initial=[".pdf"],
                                           choices=[(e, e) for e in sorted(EXTENSIONS)],
                                           widget=forms.CheckboxSelectMultiple)


MaterialFormSet = forms.formset_factory(MaterialForm, extra=4, max_num=20)
