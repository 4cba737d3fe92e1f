"""JSON nested 10,000 deep, sent to every API operation that takes a body, answers 400 (never a 500), anonymously
and as an administrator. Python's json would raise RecursionError; the strict parser is the API's default."""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DEEP = "[" * 10_000 + "]" * 10_000


def _api_paths(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from _api_paths(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            view = getattr(p.callback, "cls", None)
            if route.startswith("api/v1/") and view is not None:
                path = (route.replace("<int:number>", "1").replace("<int:pk>", "1").replace("<str:code>", "FIM-4.2")
                        .replace("<int:attachment_id>", "1").replace("<int:consultation_id>", "1"))
                for method in ("post", "put", "patch"):
                    if hasattr(view, method):
                        yield f"/{path}", method


OPERATIONS = sorted(set(_api_paths()))


def test_there_are_operations_to_probe():
    assert ("/api/v1/eligibility/check", "post") in OPERATIONS and len(OPERATIONS) > 15


@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_deeply_nested_json_is_refused_on_every_operation(path, method):
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    anonymous, signed_in = APIClient(), APIClient()
    signed_in.force_authenticate(admin)

    answers = [getattr(c, method)(path, DEEP, content_type="application/json") for c in (anonymous, signed_in)]

    assert all(a.status_code < 500 for a in answers), [a.status_code for a in answers]
    assert answers[1].status_code in (400, 403, 404, 415), answers[1].content[:200]  # 415: multipart-only
    if answers[1].status_code == 400:
        assert answers[1].json()["code"] in ("parse_error", "too_deep")
