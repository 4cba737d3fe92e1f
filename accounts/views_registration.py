"""Pages of getting in: registration, email confirmation, the organisation's members, invitations, the district's
verification queue, disputes. Each view makes one service call, like the API."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from policy_portal.exceptions import DomainError
from policy_portal.forms import add_domain_error

from .forms import AcceptInvitationForm, DisputeForm, InviteForm, RegistrationForm, ResendForm
from .models import Organisation, Role
from .selectors import organisation_members, organisations_to_verify, profile_of
from .services import (
    dispute_file,
    email_resend,
    email_verify,
    invitation_accept,
    invitation_for,
    may_verify,
    member_invite,
    member_remove,
    organisation_register,
    organisation_verify,
)


def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_register(**form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return render(request, "accounts/register_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form, "next": request.GET.get("next", "")},
                  status=400 if form.errors else 200)


def verify_email(request, token: str):
    try:
        email_verify(token=token)
    except DomainError as exc:
        return render(request, "accounts/verify_failed.html", {"error": exc, "form": ResendForm()}, status=400)
    messages.success(request, _("Your email address is confirmed: sign in to continue."))
    return redirect("login")


def resend_verification(request):
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email_resend(email=form.cleaned_data["email"])
        messages.success(request, _("If that address is waiting for confirmation, a new link is on its way."))
        return redirect("login")
    return render(request, "accounts/verify_failed.html", {"form": form, "error": None})


@login_required
def organisation_page(request):
    profile = profile_of(request.user)
    if profile is None or profile.role != Role.APPLICANT:
        raise Http404
    org = profile.organisation
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_invite(actor=request.user, email=form.cleaned_data["email"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("accounts:organisation")
    return render(request, "accounts/organisation.html", {
        "org": org, "members": organisation_members(org), "is_admin": profile.is_org_admin, "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def member_remove_page(request, user_id: int):
    try:
        member_remove(actor=request.user, user_id=user_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The member was removed; their account is closed."))
    return redirect("accounts:organisation")


def accept_invitation(request, token: str):
    try:
        invitation = invitation_for(token)
    except DomainError as exc:
        return render(request, "accounts/verify_failed.html", {"error": exc, "form": None}, status=400)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(token=token, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your account is ready: sign in."))
            return redirect("login")
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form},
                  status=400 if form.errors else 200)


@login_required
def verification_queue(request):
    rows = organisations_to_verify(request.user)
    if rows is None:
        raise Http404
    status = request.GET.get("status") or Organisation.Status.UNVERIFIED
    page = Paginator(rows.filter(status=status) if status in Organisation.Status.values else rows, 20)
    return render(request, "accounts/verification_queue.html", {
        "page": page.get_page(request.GET.get("page")), "status": status, "statuses": Organisation.Status.choices,
    })


@login_required
@require_POST
def verify_organisation(request, pk: int):
    try:
        org = organisation_verify(actor=request.user, organisation_id=pk, approve=request.POST.get("decision") == "verify",
                                  note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s: %(status)s.") % {"name": org.name, "status": org.get_status_display()})
    return redirect("accounts:verification-queue")


@login_required
def licence_download(request, pk: int):
    org = Organisation.objects.filter(pk=pk).first()
    profile = profile_of(request.user)
    own = profile is not None and profile.organisation_id == pk
    if org is None or not org.licence or not (own or may_verify(request.user, org)):
        raise Http404
    return FileResponse(org.licence.open("rb"), as_attachment=True, filename=f"{org.credit_code}-licence")


def dispute_new(request):
    form = DisputeForm(request.POST or None, initial={"credit_code": request.GET.get("credit_code", "")[:18]})
    if request.method == "POST" and form.is_valid():
        try:
            dispute_file(**form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your claim is with an administrator, who will contact you."))
            return redirect("library:home")
    return render(request, "accounts/dispute.html", {"form": form}, status=400 if form.errors else 200)
