"""Who a user is: role, organisation, bureau."""
from __future__ import annotations

from .models import Profile, Role


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
