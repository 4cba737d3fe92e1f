"""Every declared action × every role × the states that matter: what the page offers, what the API accepts and
what the service accepts are one set, the set the action's check (subsidies.workflow) allows.

Each scenario builds one application through the services; each (role, action) is then tried through the API
and through the service inside a savepoint that is rolled back, so every try starts from the same state.
"""
import datetime as dt
import re
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from policy_portal.exceptions import DomainError
from subsidies.models import Application, ApplicationEvent
from subsidies.selectors_applications import allowed_actions, application_detail
from subsidies.services import application_create, application_submit, application_transition
from subsidies.workflow import ACTIONS, DECISIONS
from tests.factories import STANDARD_FACTS, OrganisationFactory, UserFactory, applicant, officer

pytestmark = pytest.mark.django_db

# The valid input of each action: what is refused is refused by the check, not by a missing reason or bureau.
INPUT = {name: {"reason": "理由"} for name in ACTIONS} | {"reassign": {"reason": "理由", "to_bureau": "市知识产权局"}}
FULL_REVIEW = {"start_review", "approve", "reject", "return", "reassign"}

# scenario: (what is done to the application, {role: the actions it may take})
SCENARIOS = {
    "draft": ([], {"owner": {"submit", "withdraw"}}),
    "draft_without_amount": (["no_amount"], {"owner": {"withdraw"}}),  # FIM-4.2 is a ceiling: state the amount
    "submitted": (["submit"], {"owner": {"withdraw"}, "jxw": FULL_REVIEW}),
    "under_review": (["submit", "jxw:start_review"], {"owner": {"withdraw"}, "jxw": FULL_REVIEW - {"start_review"}}),
    "returned": (["submit", "jxw:return"], {"owner": {"resubmit", "withdraw"}}),
    "resubmitted": (["submit", "jxw:return", "owner:resubmit"], {"owner": {"withdraw"}, "jxw": FULL_REVIEW}),
    "approved": (["submit", "jxw:approve"], {}),
    "rejected": (["submit", "jxw:reject"], {"owner": {"appeal"}}),
    # 复核: another officer of the bureau reviews the appeal, never the one who rejected it
    "appealed": (["submit", "jxw:reject", "owner:appeal"], {"jxw": set(), "jxw2": {"uphold", "overturn"}}),
    "appeal_upheld": (["submit", "jxw:reject", "owner:appeal", "jxw2:uphold"], {}),  # one appeal per rejection
    "appeal_overturned": (["submit", "jxw:reject", "owner:appeal", "jxw2:overturn"],
                          {"owner": {"withdraw"}, "jxw": FULL_REVIEW - {"start_review"}}),
    "appeal_too_late": (["submit", "jxw:reject", "decided_long_ago"], {}),
    "withdrawn": (["submit", "owner:withdraw"], {}),
    "achievement_already_supported": (["achievement_taken", "submit"],
                                       {"owner": {"withdraw"}, "jxw": FULL_REVIEW - {"approve"}}),
    "iic_district_stage": (["iic", "submit"],
                           {"owner": {"withdraw"}, "district": {"start_review", "reject", "return", "recommend"}}),
    # IIC-12 names 市发展改革委 alone: nobody to reassign to
    "iic_municipal_stage": (["iic", "submit", "district:recommend"],
                            {"owner": {"withdraw"}, "fgw": {"start_review", "approve", "reject", "return"}}),
}


def same_bureau(expected: dict) -> dict:
    """jxw2 may do what jxw may (same bureau) unless the scenario says otherwise (an appeal of jxw's decision)."""
    out = dict(expected)
    if "jxw2" not in out and "jxw" in out:
        out["jxw2"] = out["jxw"]
    return {role: actions for role, actions in out.items() if actions}


@contextmanager
def rolled_back():
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def users():
    people = {
        "anonymous": None,
        "owner": applicant(organisation=OrganisationFactory(district="渝北区")),
        "other_applicant": applicant(),
        "jxw": officer("市经济信息委"),  # handles FIM-4.2
        "jxw2": officer("市经济信息委"),  # another officer of the same bureau (reviews appeals of jxw's decisions)
        "kjj": officer("市科技局"),  # a bureau of neither FIM-4.2 nor IIC-12
        "district": officer("渝北区发展改革委"),  # the owner's district 主管单位: IIC-12's first stage
        "fgw": officer("市发展改革委"),  # decides IIC-12 after the district's recommendation
        "rule_admin": UserFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    Profile.objects.create(user=people["rule_admin"], role=Role.RULE_ADMIN)
    return people


def build(steps: list[str], users) -> Application:
    owner = users["owner"]
    if "iic" in steps:
        from tests.integration.test_carriers import IIC_FACTS, iic_parts_complete

        app = application_create(actor=owner, clause_code="IIC-12", facts=IIC_FACTS, as_of=dt.date(2026, 6, 1))
        iic_parts_complete(owner, app)  # 附件1 and 附件2: required before submitting
    else:
        amount = None if "no_amount" in steps else 400_000
        app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=amount,
                                 as_of=dt.date(2026, 6, 1), achievement_key="ISO 1:2026")
    if "achievement_taken" in steps:  # the same organisation's other application, for the same standard, spelt apart
        other = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS,
                                   amount_requested_yuan=1, achievement_key="ISO1：2026")
        application_submit(actor=owner, application_id=other.pk)
        application_transition(actor=users["jxw"], application_id=other.pk, action="approve")
    for step in steps:
        if step == "submit":
            application_submit(actor=owner, application_id=app.pk)
        elif step == "decided_long_ago":  # the appeal limit (15 working days by default) has passed
            Application.objects.filter(pk=app.pk).update(decided_at=timezone.now() - dt.timedelta(days=40))
        elif ":" in step:
            role, action = step.split(":")
            application_transition(actor=users[role], application_id=app.pk, action=action, **INPUT[action])
    return app


def taken(app: Application, action: str, attempt) -> str:
    """'taken' if `attempt()` wrote the action's event, 'repeated' if it succeeded without one, else the refusal's code."""
    with rolled_back():
        before = ApplicationEvent.objects.filter(application=app, action=action).count()
        try:
            code = attempt()
        except DomainError as exc:
            return exc.code
        if code:
            return code
        return "taken" if ApplicationEvent.objects.filter(application=app, action=action).count() > before else "repeated"


def api_path(app: Application, action: str) -> str:
    return f"/api/v1/applications/{app.pk}/{action.replace('_', '-')}/"


def api_attempt(client, path: str, body: dict):
    def attempt():
        response = client.post(path, body, format="json")
        return response.json()["code"] if response.status_code >= 400 else None
    return attempt


def service_attempt(user, app: Application, action: str):
    def attempt():
        application_transition(actor=user or AnonymousUser(), application_id=app.pk, action=action, **INPUT[action])
    return attempt


def check_code(user, app: Application, action: str) -> str | None:
    try:
        ACTIONS[action].check(user or AnonymousUser(), app)
    except DomainError as exc:
        return exc.code
    return None


def page_buttons(user, app: Application) -> set[str]:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(f"/applications/{app.pk}/")
    if response.status_code != 200:
        return set()
    return set(re.findall(r'<button[^>]*name="action" value="([a-z_]+)"', response.content.decode())) & set(ACTIONS)


# The API refuses these before the service is asked: not signed in, a role the endpoint is not for, not visible.
BEFORE_THE_SERVICE = {"not_authenticated", "permission_denied", "not_found"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_page_the_api_and_the_service_allow_the_same_actions(scenario, users):
    steps, expected = SCENARIOS[scenario]
    app = build(steps, users)

    allowed = {}
    for role, user in users.items():
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        seen = application_detail(user, app.pk) if user is not None else None
        fresh = Application.objects.select_related("clause", "organisation").get(pk=app.pk)
        offered = page_buttons(user, app)
        listed = set(allowed_actions(user, seen)) if seen is not None else set()
        by_service = {a: taken(app, a, service_attempt(user, app, a)) for a in ACTIONS}
        by_api = {a: taken(app, a, api_attempt(api, api_path(app, a), INPUT[a])) for a in ACTIONS}
        by_decide = {a: taken(app, a, api_attempt(api, f"/api/v1/applications/{app.pk}/decide/",
                                                  {"decision": a, **INPUT[a]})) for a in DECISIONS}
        checked = {a: check_code(user, fresh, a) for a in ACTIONS}

        accepted = {a for a, outcome in by_service.items() if outcome == "taken"}
        assert offered == listed == accepted, (role, offered, listed, by_service)
        assert {a for a, outcome in by_api.items() if outcome == "taken"} == accepted, (role, by_api)
        assert {a for a, outcome in by_decide.items() if outcome == "taken"} == accepted & set(DECISIONS), (role, by_decide)
        for action, outcome in by_service.items():
            if outcome == "repeated":  # submitting twice is one submission: no second event, no error
                assert ACTIONS[action].repeated(fresh), (role, action)
            else:
                assert checked[action] == (None if outcome == "taken" else outcome), (role, action, checked[action], outcome)
            if by_api[action] not in BEFORE_THE_SERVICE:
                assert by_api[action] == outcome, (role, action, by_api[action], outcome)
        allowed[role] = accepted

    assert {role: actions for role, actions in allowed.items() if actions} == same_bureau(expected)


def test_every_declared_action_is_taken_somewhere_in_the_matrix():
    taken_somewhere = set().union(*(actions for _, by_role in SCENARIOS.values() for actions in by_role.values()))

    assert taken_somewhere == set(ACTIONS)


def test_a_page_explains_what_keeps_an_action_from_being_offered(users):
    app = build(["no_amount"], users)
    client = Client()
    client.force_login(users["owner"])

    page = client.get(f"/applications/{app.pk}/").content.decode()

    assert 'value="submit"' not in page
    assert re.search(r'data-blocked="submit"[^<]*<strong>[^<]+</strong>: [^<]+', page)
