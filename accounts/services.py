"""Organisations get in by themselves: registration, email verification, verification by the district,
members invited and removed by the organisation's administrator, disputes over a credit code.

Links sent by email are signed (django.core.signing) and expire; each service is atomic and writes an
OrganisationEvent. Emails go out after commit.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from policy_portal.exceptions import Conflict, DomainError, NotAllowed
from policy_portal.uploads import JPEG, PDF, PNG, shortened, sniff

from .choices import values
from .credit_code import CreditCodeError, validate_credit_code
from .models import Dispute, Invitation, Organisation, OrganisationEvent, Profile, Role

User = get_user_model()
EMAIL_LINK_MAX_AGE = dt.timedelta(days=3)
INVITATION_MAX_AGE = dt.timedelta(days=7)
LICENCE_TYPES = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
LICENCE_MAX_BYTES = 10 * 1024 * 1024
EMAIL_SALT, INVITE_SALT = "accounts.email", "accounts.invitation"


def _event(org: Organisation, actor, action: str, note: str = "", **data) -> None:
    OrganisationEvent.objects.create(organisation=org, actor=actor, action=action, note=note, data=data)


def _mail_after_commit(subject: str, body: str, to: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


def _link(name: str, token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=[token])


def _text(value, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not value:
        raise DomainError("required", "This is required.", field)
    if len(value) > limit:
        raise DomainError("too_long", f"At most {limit} characters.", field, limit=limit)
    return value


def _check_licence(licence) -> None:
    if licence is None:
        raise DomainError("required", "Upload the business licence (营业执照).", "licence")
    if licence.size > LICENCE_MAX_BYTES:
        raise DomainError("file_too_large", "At most 10 MB.", "licence", limit_mb=10)
    sniff(licence, "licence", LICENCE_TYPES)


def email_token(user) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_SALT)


def _send_verification(user) -> None:
    link = _link("accounts:verify-email", email_token(user))
    _mail_after_commit(
        _("Confirm your email address"),
        _("Open this link within 3 days to confirm your email address and activate your account:\n\n%(link)s")
        % {"link": link}, user.email)


@transaction.atomic
def organisation_register(*, credit_code: str, name: str, district: str, org_type: str, contact_name: str,
                          contact_phone: str, email: str, username: str, password: str, licence) -> Organisation:
    """A new organisation (unverified) with its first user (its administrator, inactive until the email is
    confirmed). A credit code already registered is refused: a dispute goes to an administrator."""
    credit_code = (credit_code or "").strip().upper()
    try:
        validate_credit_code(credit_code)
    except CreditCodeError as exc:
        raise DomainError(exc.code, exc.message, "credit_code") from None
    if Organisation.objects.filter(credit_code=credit_code).exists():
        raise Conflict("credit_code_taken", "This credit code is already registered.", "credit_code",
                       credit_code=credit_code)
    name = _text(name, "name", 120)
    district = _text(district, "district", 40)
    if district not in values("district"):
        raise DomainError("invalid_choice", "Choose the district (区县) where it is registered.", "district")
    if org_type not in values("org_type"):
        raise DomainError("invalid_choice", "Choose the kind of organisation.", "org_type")
    contact_name, contact_phone = _text(contact_name, "contact_name", 60), _text(contact_phone, "contact_phone", 30)
    email = _text(email, "email", 254).lower()
    if "@" not in email or User.objects.filter(email__iexact=email).exists():
        raise DomainError("email_unusable", "Use an email address of your own that is not registered yet.", "email")
    username = _text(username, "username", 150)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("username_taken", "This username is taken.", "username")
    user = User(username=username, email=email, is_active=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), "password") from None
    _check_licence(licence)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            org = Organisation(name=name, credit_code=credit_code, district=district, org_type=org_type,
                               contact_name=contact_name, contact_phone=contact_phone, contact_email=email)
            org.licence.save(shortened(licence.name), licence, save=False)
            org.save()
    except IntegrityError:  # a concurrent registration of the same code or name won
        raise Conflict("credit_code_taken", "This credit code is already registered.", "credit_code",
                       credit_code=credit_code) from None
    Profile.objects.create(user=user, role=Role.APPLICANT, organisation=org, is_org_admin=True)
    _event(org, user, "register", credit_code=credit_code)
    _send_verification(user)
    return org


@transaction.atomic
def email_verify(*, token: str):
    """Activate the account whose confirmation link this is; refused when expired, altered or already used."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("link_expired", "This link has expired.", "token") from None
    except signing.BadSignature:
        raise DomainError("link_invalid", "This link is not valid.", "token") from None
    user = User.objects.select_for_update().filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise DomainError("link_invalid", "This link is not valid.", "token")
    if user.is_active or user.last_login is not None:
        raise Conflict("link_used", "This link was used already: sign in.", "token")
    user.is_active = True
    user.save(update_fields=["is_active"])
    org = user.profile.organisation
    _event(org, user, "email_verified")
    return user


def email_resend(*, email: str) -> None:
    """Send the confirmation link again (to an account not confirmed yet); says nothing about other addresses."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=False, last_login__isnull=True).first()
    if user is not None:
        with transaction.atomic():
            _send_verification(user)


def may_verify(actor, org: Organisation) -> bool:
    """An officer of the organisation's district bureau (区县), or an administrator."""
    profile = getattr(actor, "profile", None) if getattr(actor, "is_authenticated", False) else None
    if getattr(actor, "is_superuser", False) or (profile and profile.role == Role.ADMIN):
        return True
    return bool(profile and profile.role == Role.OFFICER and profile.bureau and profile.bureau.level == "district"
                and profile.bureau.district == org.district)


@transaction.atomic
def organisation_verify(*, actor, organisation_id: int, approve: bool, note: str = "") -> Organisation:
    org = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if org is None:
        raise DomainError("not_found", "No such organisation.", "organisation")
    if not may_verify(actor, org):
        raise NotAllowed("not_your_district", "Only the district's officers or an administrator verify it.")
    note = _text(note, "note", 2000, required=not approve)
    if org.status != Organisation.Status.UNVERIFIED:
        raise Conflict("already_decided", "This organisation has been decided already.", "status")
    org.status = Organisation.Status.VERIFIED if approve else Organisation.Status.REJECTED
    org.verified_at, org.verified_by = timezone.now(), actor
    org.save(update_fields=["status", "verified_at", "verified_by"])
    _event(org, actor, "verify" if approve else "reject", note)
    members = User.objects.filter(profile__organisation=org, is_active=True).exclude(email="")
    for member in members:
        if approve:
            _mail_after_commit(_("Your organisation is verified"),
                               _("%(name)s has been verified: you can now submit applications.") % {"name": org.name},
                               member.email)
        else:
            _mail_after_commit(_("Your organisation could not be verified"),
                               _("%(name)s could not be verified: %(note)s") % {"name": org.name, "note": note},
                               member.email)
    return org


def _require_org_admin(actor) -> Organisation:
    profile = getattr(actor, "profile", None)
    if not profile or profile.role != Role.APPLICANT or not profile.is_org_admin:
        raise NotAllowed("not_org_admin", "Only the organisation's administrator can do this.")
    return profile.organisation


@transaction.atomic
def member_invite(*, actor, email: str) -> Invitation:
    org = _require_org_admin(actor)
    email = _text(email, "email", 254).lower()
    if "@" not in email:
        raise DomainError("invalid", "Enter an email address.", "email")
    if User.objects.filter(email__iexact=email, profile__organisation=org, is_active=True).exists():
        raise Conflict("already_member", "This person is a member already.", "email")
    invitation = Invitation.objects.create(organisation=org, email=email, invited_by=actor)
    token = signing.dumps({"invitation": invitation.pk}, salt=INVITE_SALT)
    _event(org, actor, "invite", email=email)
    _mail_after_commit(_("You are invited to %(name)s on the policy portal") % {"name": org.name},
                       _("Open this link within 7 days to create your account:\n\n%(link)s")
                       % {"link": _link("accounts:invitation", token)}, email)
    return invitation


def invitation_for(token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("link_expired", "This link has expired.", "token") from None
    except signing.BadSignature:
        raise DomainError("link_invalid", "This link is not valid.", "token") from None
    invitation = Invitation.objects.select_related("organisation").filter(pk=data.get("invitation")).first()
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError("link_invalid", "This link is not valid.", "token")
    if invitation.accepted_at is not None:
        raise Conflict("link_used", "This link was used already: sign in.", "token")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str):
    invitation = invitation_for(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Conflict("link_used", "This link was used already: sign in.", "token")
    username = _text(username, "username", 150)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("username_taken", "This username is taken.", "username")
    user = User(username=username, email=invitation.email, is_active=True)  # the link proves the address
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), "password") from None
    user.set_password(password)
    user.save()
    Profile.objects.create(user=user, role=Role.APPLICANT, organisation=invitation.organisation)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _event(invitation.organisation, user, "join", email=user.email)
    return user


@transaction.atomic
def member_remove(*, actor, user_id: int) -> None:
    """The organisation administrator removes a member: the account is closed at once (its next request is
    signed out), its work stays with the organisation."""
    org = _require_org_admin(actor)
    member = User.objects.select_for_update().filter(pk=user_id, profile__organisation=org).first()
    if member is None:
        raise DomainError("not_found", "No such member.", "user")
    if member.pk == actor.pk:
        raise Conflict("cannot_remove_self", "You cannot remove yourself; make another member administrator first.",
                       "user")
    member.is_active = False
    member.save(update_fields=["is_active"])
    _event(org, actor, "remove", username=member.username)


@transaction.atomic
def dispute_file(*, credit_code: str, claimant_name: str, contact_name: str, contact_email: str, reason: str,
                 contact_phone: str = "") -> Dispute:
    credit_code = (credit_code or "").strip().upper()
    try:
        validate_credit_code(credit_code)
    except CreditCodeError as exc:
        raise DomainError(exc.code, exc.message, "credit_code") from None
    org = Organisation.objects.filter(credit_code=credit_code).first()
    dispute = Dispute.objects.create(
        credit_code=credit_code, organisation=org, claimant_name=_text(claimant_name, "claimant_name", 120),
        contact_name=_text(contact_name, "contact_name", 60), contact_phone=_text(contact_phone, "contact_phone", 30,
                                                                                   required=False),
        contact_email=_text(contact_email, "contact_email", 254), reason=_text(reason, "reason", 4000))
    if org is not None:
        _event(org, None, "dispute", dispute=dispute.pk)
    return dispute


@transaction.atomic
def dispute_resolve(*, actor, dispute_id: int, resolution: str) -> Dispute:
    profile = getattr(actor, "profile", None)
    if not (actor.is_superuser or (profile and profile.role == Role.ADMIN)):
        raise NotAllowed("not_admin", "Only an administrator resolves disputes.")
    dispute = Dispute.objects.select_for_update().filter(pk=dispute_id, status=Dispute.Status.OPEN).first()
    if dispute is None:
        raise DomainError("not_found", "No such open dispute.", "dispute")
    dispute.resolution = _text(resolution, "resolution", 4000)
    dispute.status, dispute.resolved_by, dispute.resolved_at = Dispute.Status.RESOLVED, actor, timezone.now()
    dispute.save()
    return dispute
