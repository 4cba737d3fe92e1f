"""The API answers as its OpenAPI schema says, for every role: schemathesis generates requests for every operation
from the live schema (a bounded number per operation) and checks that none gets a server error and that every
response's status, content type, headers and body are the documented ones.

Business refusals of schema-valid data (an unknown clause code, a wrong fixed sum) are right answers, so the
data-acceptance checks are left out; the response-conformance checks are not.
"""
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from accounts.models import Profile, Role
from subsidies.services import application_create
from tests.factories import STANDARD_FACTS, UserFactory, applicant, officer, standard_item

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

CONFORMANCE = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
               checks.response_headers_conformance, checks.response_schema_conformance]


def _rule_admin():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.RULE_ADMIN)
    return user


ROLES = {"anonymous": lambda: None, "applicant": applicant, "officer": lambda: officer("市经济信息委"),
         "rule_admin": _rule_admin}


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection():
    """As Django's test client does: a request must not close the test's connection when it ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def role_headers(db) -> dict[str, dict]:
    """Each role's Authorization header; the applicant has an application of its own, so an id sometimes exists."""
    headers = {}
    for role, make in ROLES.items():
        user = make()
        if user is None:
            headers[role] = {}
            continue
        if role == "applicant":
            application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000)
        headers[role] = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    return headers


# The live schema; requests go to the WSGI application in this process, inside the test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=2, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, role_headers):
    for headers in role_headers.values():  # the same request from every role
        case.call_and_validate(headers=headers, checks=CONFORMANCE)
