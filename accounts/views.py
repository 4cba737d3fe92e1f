"""Where a person lands after signing in: their own work, by role."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .models import Role
from .selectors import role_of

LANDING = {
    Role.APPLICANT: "applications:list",
    Role.OFFICER: "applications:list",
    Role.RULE_ADMIN: "ruleadmin:versions",
    Role.ADMIN: "ruleadmin:versions",
}


@login_required
def start(request):
    return redirect(LANDING.get(role_of(request.user), "library:home"))
