"""The signed-in user's role, for the navigation."""
from .selectors import role_of


def role(request):
    return {"portal_role": role_of(request.user) if hasattr(request, "user") else None}
