"""Organisations get in by themselves: register, confirm the email, are verified by their district, invite members."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Organisation, Profile, Role
from catalogue.models import Bureau
from tests.factories import credit_code, officer

pytestmark = pytest.mark.django_db
User = get_user_model()
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def form(n: int = 900, **changes) -> dict:
    return {"credit_code": credit_code(n), "name": "重庆未来机器人有限公司", "district": "渝北区", "org_type": "enterprise",
            "contact_name": "张三", "contact_phone": "023-12345678", "email": f"founder{n}@example.test",
            "username": f"founder{n}", "password": "Str0ng-enough-pw", **changes}


def licence(data: bytes = PNG, name: str = "营业执照.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def register(client, n=900, **changes):
    return client.post("/register/", {**form(n, **changes), "licence": licence()}, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_new_organisation_registers_confirms_its_email_and_waits_for_its_district(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = register(client)
    org = Organisation.objects.get(credit_code=credit_code(900))
    founder = User.objects.get(username="founder900")
    confirmed = client.get(link_in(mail.outbox[0]).split("127.0.0.1:8000")[1], follow=True)
    again = client.get(link_in(mail.outbox[0]).split("127.0.0.1:8000")[1])

    founder.refresh_from_db()
    assert done.status_code == 200 and org.status == Organisation.Status.UNVERIFIED and org.licence
    assert founder.profile.is_org_admin and founder.profile.role == Role.APPLICANT
    assert founder.is_active and confirmed.redirect_chain[-1][0] == "/login/"
    assert again.status_code == 400


@pytest.mark.parametrize("changes, field", [
    ({"credit_code": "91500000MA5U000001"}, "credit_code"),
    ({"district": "火星区"}, "district"),
    ({"org_type": "pirate"}, "org_type"),
    ({"password": "123"}, "password"),
])
def test_bad_registrations_are_refused_naming_the_field_and_write_nothing(client, changes, field):
    response = register(client, 901, **changes)

    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Organisation.objects.filter(name="重庆未来机器人有限公司").exists()
    assert not User.objects.filter(username="founder901").exists()


def test_a_credit_code_registered_twice_is_refused_and_points_to_a_dispute(client):
    register(client, 902)

    second = register(client, 902, email="other@example.test", username="other")

    assert second.status_code == 400 and "credit_code" in second.context["form"].errors
    assert Organisation.objects.filter(credit_code=credit_code(902)).count() == 1
    assert "/register/dispute/" in second.content.decode()


def test_a_licence_that_is_not_an_image_or_pdf_is_refused(client):
    response = client.post("/register/", {**form(903), "licence": licence(b"MZ\x90\x00", "licence.png")})

    assert response.status_code == 400 and "licence" in response.context["form"].errors


def test_only_the_districts_officers_verify_an_organisation_and_the_members_are_told(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client, 904)
    org = Organisation.objects.get(credit_code=credit_code(904))
    User.objects.filter(username="founder904").update(is_active=True)
    yubei = Bureau.objects.get(level="district", district="渝北区").short_name_zh
    other = Bureau.objects.filter(level="district").exclude(district="渝北区").first().short_name_zh
    api = APIClient()

    api.force_authenticate(officer(other))
    refused = api.post(f"/api/v1/organisations/{org.pk}/verify/", {"decision": "verify"}, format="json")
    api.force_authenticate(officer(yubei))
    queue = api.get("/api/v1/organisations/")
    with django_capture_on_commit_callbacks(execute=True):
        verified = api.post(f"/api/v1/organisations/{org.pk}/verify/", {"decision": "verify"}, format="json")
    twice = api.post(f"/api/v1/organisations/{org.pk}/verify/", {"decision": "reject", "note": "x"}, format="json")

    assert refused.status_code == 403
    assert [o["credit_code"] for o in queue.json()["results"]] == [credit_code(904)]
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert twice.status_code == 409
    assert any("founder904@example.test" in m.to for m in mail.outbox[1:])


def test_the_organisation_administrator_invites_a_member_who_joins_and_can_be_removed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client, 905)
    founder = User.objects.get(username="founder905")
    founder.is_active = True
    founder.save()
    client.force_login(founder)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/organisation/", {"email": "colleague@example.test"})
    path = link_in(mail.outbox[-1]).split("127.0.0.1:8000")[1]
    client.logout()
    joined = client.post(path, {"username": "colleague905", "password": "Another-str0ng-pw"})
    reused = client.get(path)
    colleague = User.objects.get(username="colleague905")
    client.force_login(founder)
    removed = client.post(f"/organisation/members/{colleague.pk}/remove/")

    colleague.refresh_from_db()
    assert joined.status_code == 302 and colleague.profile.organisation.credit_code == credit_code(905)
    assert not colleague.profile.is_org_admin
    assert reused.status_code == 400
    assert removed.status_code == 302 and not colleague.is_active


def test_a_member_who_is_not_the_administrator_cannot_invite_or_remove():
    org = Organisation.objects.create(name="某公司", credit_code=credit_code(906), district="渝北区", org_type="enterprise",
                                      status="verified")
    member = User.objects.create_user("plain906", "plain906@example.test", "pw-Plain-906!")
    Profile.objects.create(user=member, role=Role.APPLICANT, organisation=org)
    api = APIClient()
    api.force_authenticate(member)

    invited = api.post("/api/v1/organisations/mine/invitations/", {"email": "x@example.test"}, format="json")

    assert invited.status_code == 403 and invited.json()["code"] == "not_org_admin"


def test_the_api_registers_with_a_multipart_body_and_confirms_the_email(django_capture_on_commit_callbacks):
    api = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/organisations/register/", {**form(907), "licence": licence()}, format="multipart")
    token = link_in(mail.outbox[-1]).rstrip("/").rsplit("/", 1)[1]
    confirmed = api.post("/api/v1/auth/verify-email/", {"token": token}, format="json")
    forged = api.post("/api/v1/auth/verify-email/", {"token": token[:-2] + "xx"}, format="json")

    assert created.status_code == 201 and created.json()["status"] == "unverified"
    assert confirmed.json() == {"username": "founder907", "active": True}
    assert forged.status_code == 400 and forged.json()["code"] == "link_invalid"


def test_sign_in_locks_after_five_failures_for_that_username_and_address():
    User.objects.create_user("target", "target@example.test", "Right-password-1")
    api = APIClient()

    answers = [api.post("/api/v1/auth/token/", {"username": "target", "password": f"wrong{i}"}, format="json").status_code
               for i in range(6)]
    right = api.post("/api/v1/auth/token/", {"username": "target", "password": "Right-password-1"}, format="json")

    assert answers[:5] == [403] * 5 and right.status_code == 403 and right.json()["code"] == "locked"
