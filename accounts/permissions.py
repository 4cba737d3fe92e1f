"""Small permission classes, one role each."""
from rest_framework.permissions import BasePermission

from .models import Role
from .selectors import role_of


class IsApplicant(BasePermission):
    """A member of an applicant organisation."""

    def has_permission(self, request, view):
        return role_of(request.user) == Role.APPLICANT


class IsBureauOfficer(BasePermission):
    """An officer of a bureau."""

    def has_permission(self, request, view):
        return role_of(request.user) == Role.OFFICER


class IsApplicantOrOfficerOrAdmin(BasePermission):
    """Anyone with a role that works on applications."""

    def has_permission(self, request, view):
        return role_of(request.user) in (Role.APPLICANT, Role.OFFICER, Role.ADMIN)
