"""Who may change the rules: rule administrators and administrators."""
from rest_framework.permissions import BasePermission

from accounts.models import Role
from accounts.selectors import role_of

RULE_ADMINISTRATOR_ROLES = (Role.RULE_ADMIN, Role.ADMIN)


def is_rule_administrator(user) -> bool:
    return role_of(user) in RULE_ADMINISTRATOR_ROLES


class IsRuleAdministrator(BasePermission):
    """A rule administrator or an administrator."""

    def has_permission(self, request, view):
        return is_rule_administrator(request.user)
