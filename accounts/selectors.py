"""Who a user is: role, organisation, bureau."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from .models import Organisation, Profile, Role


def profile_of(user) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def role_of(user) -> str | None:
    profile = profile_of(user)
    if profile is not None:
        return profile.role
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return None


def organisation_of(user):
    profile = profile_of(user)
    return profile.organisation if profile and profile.role == Role.APPLICANT else None


def bureau_of(user):
    profile = profile_of(user)
    return profile.bureau if profile and profile.role == Role.OFFICER else None


def organisation_members(org):
    """The organisation's active users, its administrators first."""
    return (get_user_model().objects.filter(profile__organisation=org, is_active=True)
            .select_related("profile").order_by("-profile__is_org_admin", "username"))


def organisations_to_verify(user):
    """The organisations this user verifies (their district's, or all for an administrator); None if none."""
    profile = profile_of(user)
    if getattr(user, "is_superuser", False) or (profile and profile.role == Role.ADMIN):
        return Organisation.objects.order_by("-created_at")
    if profile and profile.role == Role.OFFICER and profile.bureau and profile.bureau.level == "district":
        return Organisation.objects.filter(district=profile.bureau.district).order_by("-created_at")
    return None


def is_bureau_head(user) -> bool:
    profile = profile_of(user)
    return bool(profile and profile.role == Role.OFFICER and profile.is_bureau_head)
