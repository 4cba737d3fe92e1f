"""Forms of the register pages: they read the fields' types; the services decide what is allowed."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IIC_PLAN_OUTLINE, IIC_PLAN_SUMMARY_MAX, Adjustment, Rating

YEAR = {"min_value": 2024, "max_value": 2100}


def _rating_choices(labels: dict) -> list[tuple[str, str]]:
    return [("", "—"), *((value, labels.get("rating", {}).get(value, name)) for value, name in Rating.choices)]


def _adjustment_choices(labels: dict, *, fraud: bool = False) -> list[tuple[str, str]]:
    return [("", "—"), *((v, labels.get("adjustment", {}).get(v, n)) for v, n in Adjustment.choices
                         if not (fraud and v == "retain"))]


class LabelledForm(forms.Form):
    def __init__(self, *args, labels: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = labels or {}
        for name in ("rating", "result"):
            if name in self.fields:
                self.fields[name].choices = _rating_choices(self.labels)
        if "adjustment" in self.fields:
            self.fields["adjustment"].choices = _adjustment_choices(self.labels, fraud=isinstance(self, FraudForm))


class InstituteAssessmentForm(LabelledForm):
    """RIE-2."""

    year = forms.IntegerField(label=_("Year"), **YEAR)
    rating = forms.ChoiceField(label=_("Rating"))
    incubated_future_enterprises = forms.IntegerField(label=_("Future-industry enterprises incubated this year"), min_value=0)
    technical_services = forms.IntegerField(label=_("Technical services provided this year (incl. commissioned R&D, technology transfer)"),
                                            min_value=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ComplexAssessmentForm(LabelledForm):
    """PIC-4, with the year's figures behind PIC-3's targets."""

    year = forms.IntegerField(label=_("Year"), **YEAR)
    rating = forms.ChoiceField(label=_("Rating"), help_text=_("A complex rated excellent is named and given a plaque (命名授牌)."))
    operating_as_entity = forms.BooleanField(label=_("Built and operating as an entity (实体化运行)"), required=False)
    revenue_yuan = forms.IntegerField(label=_("Revenue (yuan)"), min_value=0)
    rd_spend_yuan = forms.IntegerField(label=_("R&D spending (yuan)"), min_value=0)
    new_product_sales_yuan = forms.IntegerField(label=_("New-product sales (yuan)"), min_value=0)
    key_tech_tasks = forms.IntegerField(label=_("Key-technology tasks carried out this year"), min_value=0)
    needs_solved = forms.IntegerField(label=_("Enterprise innovation needs solved this year"), min_value=0)
    typical_cases = forms.IntegerField(label=_("Typical cases of collaborative innovation this year"), min_value=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class IncubatorAssessmentForm(LabelledForm):
    """INC-2: the three dimensions, then the rating."""

    year = forms.IntegerField(label=_("Year"), **YEAR)
    conversion_rate = forms.DecimalField(label=_("Commercialisation rate (%)"), min_value=0, max_value=100, decimal_places=2)
    survival_rate = forms.DecimalField(label=_("Enterprise survival rate (%)"), min_value=0, max_value=100, decimal_places=2)
    incubated_valuation_yuan = forms.IntegerField(label=_("Valuation of incubated enterprises (yuan)"), min_value=0)
    rating = forms.ChoiceField(label=_("Rating"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AnnualReportForm(LabelledForm):
    """IIC-13."""

    year = forms.IntegerField(label=_("Year"), **YEAR)
    rating = forms.ChoiceField(label=_("Result of the annual assessment"))
    summary = forms.CharField(label=_("Construction and operation, and problems coordinated"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=5000)
    submitted_on = forms.DateField(label=_("Reported to 市发展改革委 on"), widget=forms.DateInput(attrs={"type": "date"}))


class EvaluationForm(LabelledForm):
    """IIC-14."""

    year = forms.IntegerField(label=_("Year"), **YEAR)
    evaluator = forms.CharField(label=_("Third-party body"), max_length=120)
    result = forms.ChoiceField(label=_("Evaluation result"))
    adjustment = forms.ChoiceField(label=_("Dynamic adjustment"))
    feedback = forms.CharField(label=_("Feedback to the centre and its 主管单位"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class FraudForm(LabelledForm):
    """IIC-15."""

    verified_on = forms.DateField(label=_("Verified on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("What was verified"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    adjustment = forms.ChoiceField(label=_("Adjustment"))
    credit_platform_listed = forms.BooleanField(label=_("Listed on the national credit information platform"), required=False,
                                                initial=True)


ASSESSMENT_FORMS = {
    "institute": InstituteAssessmentForm,
    "complex": ComplexAssessmentForm,
    "incubator": IncubatorAssessmentForm,
    "annual_report": AnnualReportForm,
    "evaluation": EvaluationForm,
    "fraud": FraudForm,
}


class RecognitionPackageForm(forms.Form):
    name = forms.CharField(label=_("Name of the carrier"), max_length=120, required=False,
                           help_text=_("Required for a complex; otherwise your organisation's name is used if left empty."))
    members = forms.CharField(
        label=_("Member units (one per line: name, role)"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a complex: the units that signed the charter or agreement with it."),
    )
    charter_signed_on = forms.DateField(label=_("Charter or agreement signed on"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))

    def clean_members(self) -> list[dict]:
        out = []
        for line in self.cleaned_data["members"].splitlines():
            if not line.strip():
                continue
            name, _sep, role = line.replace("，", ",").partition(",")
            out.append({"name": name.strip(), "role": role.strip()})
        return out


class IICPlanForm(forms.Form):
    """附件1: one text per sub-item, in the outline's order; 八、附件 picks from the application's attachments."""

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        for _section, items in IIC_PLAN_OUTLINE:
            for name, label in items:
                if name in ("charter", "supporting_documents"):
                    continue
                limit = IIC_PLAN_SUMMARY_MAX if name == "summary" else 20000
                self.fields[name] = forms.CharField(label=label, required=False, max_length=limit,
                                                    widget=forms.Textarea(attrs={"rows": 6 if name == "summary" else 3}))
        choices = [(a.pk, a.original_name) for a in attachments]
        self.fields["charter"] = forms.TypedChoiceField(label=IIC_PLAN_OUTLINE[-1][1][0][1], choices=[("", "—"), *choices],
                                                        coerce=int, required=False, empty_value=None)
        self.fields["supporting_documents"] = forms.TypedMultipleChoiceField(
            label=IIC_PLAN_OUTLINE[-1][1][1][1], choices=choices, coerce=int, required=False,
            widget=forms.CheckboxSelectMultiple,
        )
