"""Forms of the registration pages; the services validate again (the API calls them directly)."""
from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import choices


def _choices(name: str) -> list[tuple[str, str]]:
    english = (get_language() or "").startswith("en")
    return [("", "—")] + [(value, en if english else zh) for value, zh, en in choices(name)]


class RegistrationForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code (统一社会信用代码)"), max_length=18, min_length=18,
                                  help_text=_("18 characters, as printed on the business licence."))
    name = forms.CharField(label=_("Organisation name"), max_length=120)
    district = forms.ChoiceField(label=_("District or county of registration"), choices=())
    org_type = forms.ChoiceField(label=_("Kind of organisation"), choices=())
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=30)
    email = forms.EmailField(label=_("Email address"), help_text=_("We send a link to confirm it."))
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128, strip=False)
    licence = forms.FileField(label=_("Business licence (营业执照)"), help_text=_("PDF, PNG or JPEG, at most 10 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = _choices("district")
        self.fields["org_type"].choices = _choices("org_type")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"))


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128, strip=False)


class DisputeForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code (统一社会信用代码)"), max_length=18)
    claimant_name = forms.CharField(label=_("Organisation name"), max_length=120)
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("Email address"))
    reason = forms.CharField(label=_("Why the code is yours"), widget=forms.Textarea, max_length=4000)


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
