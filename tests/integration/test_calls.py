"""Calls for applications: opened by the lead bureau or an administrator, read by anyone, with status and materials."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from programmes.models import Call
from programmes.selectors import calls_by_clause, open_call
from programmes.services import call_create
from tests.factories import UserFactory, officer

pytestmark = pytest.mark.django_db
NOW = timezone.now()
HOUR = dt.timedelta(hours=1)


def admin():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.ADMIN)
    return user


def call(**changes):
    args = {"actor": admin(), "title_zh": "2026年未来产业标准化支持申报", "clause_codes": ["FIM-4.2", "FIM-4.3"],
            "opens_at": NOW - HOUR, "closes_at": NOW + 24 * HOUR,
            "materials": [{"name_zh": "申报书", "extensions": [".pdf", ".docx"]},
                          {"name_zh": "承诺书", "required": True}, {"name_zh": "其他材料", "required": False}]}
    return call_create(**{**args, **changes})


def test_the_lead_bureau_opens_a_call_and_another_bureau_cannot():
    api = APIClient()
    body = {"title_zh": "标准化支持", "clause_codes": ["FIM-4.2"], "opens_at": NOW.isoformat(),
            "closes_at": (NOW + HOUR).isoformat(), "materials": [{"name_zh": "申报书"}]}

    api.force_authenticate(officer("市科技局"))
    refused = api.post("/api/v1/calls/", body, format="json")
    api.force_authenticate(officer("市经济信息委"))
    created = api.post("/api/v1/calls/", body, format="json")
    anonymous = APIClient().post("/api/v1/calls/", body, format="json")

    assert refused.status_code == 403 and refused.json()["code"] == "not_lead_bureau"
    assert created.status_code == 201, created.json()
    assert created.json()["clause_codes"] == ["FIM-4.2"] and created.json()["materials"][0]["name_zh"] == "申报书"
    assert anonymous.status_code in (401, 403)


@pytest.mark.parametrize("changes, field", [
    ({"closes_at": NOW - 2 * HOUR}, "closes_at"),
    ({"clause_codes": ["FIM-99"]}, "clauses"),
    ({"clause_codes": ["FIM-7"]}, "clauses"),
    ({"materials": [{"name_zh": "申报书", "extensions": [".exe"]}]}, "materials[0].extensions"),
    ({"materials": [{"name_zh": "申报书"}, {"name_zh": "申报书"}]}, "materials[1].name_zh"),
])
def test_a_bad_call_is_refused_naming_the_field(changes, field):
    from policy_portal.exceptions import DomainError

    with pytest.raises(DomainError) as refused:
        call(**changes)

    assert refused.value.field == field
    assert not Call.objects.exists()


def test_the_list_shows_each_calls_status_at_this_minute():
    call(title_zh="开放中")
    call(title_zh="未开始", opens_at=NOW + HOUR, closes_at=NOW + 2 * HOUR)
    call(title_zh="已截止", opens_at=NOW - 2 * HOUR, closes_at=NOW - HOUR)
    call(title_zh="常年受理", closes_at=None, clause_codes=["FIM-6.2"])

    listing = APIClient().get("/api/v1/calls/").json()
    only_open = APIClient().get("/api/v1/calls/", {"status": "open"}).json()

    statuses = {c["title_zh"]: c["status"] for c in listing["results"]}
    assert statuses == {"开放中": "open", "未开始": "scheduled", "已截止": "closed", "常年受理": "open"}
    assert {c["title_zh"] for c in only_open["results"]} == {"开放中", "常年受理"}
    assert next(c for c in listing["results"] if c["title_zh"] == "常年受理")["closes_at"] is None


def test_the_call_open_for_a_clause_and_the_next_one():
    current = call()
    upcoming = call(title_zh="下一批", opens_at=NOW + 48 * HOUR, closes_at=NOW + 72 * HOUR)

    by_clause = calls_by_clause(["FIM-4.2", "FIM-10.1"])

    assert open_call("FIM-4.2") == current and open_call("FIM-10.1") is None
    assert by_clause["FIM-4.2"]["open"] == current and by_clause["FIM-4.2"]["next"] == upcoming
    assert "FIM-10.1" not in by_clause
    assert open_call("FIM-4.2", at=NOW + 25 * HOUR) is None


def test_a_template_is_uploaded_by_the_lead_bureau_and_downloaded_by_anyone(client):
    c = call()
    material = c.materials.get(name_zh="申报书")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    api = APIClient()
    api.force_authenticate(officer("市经济信息委"))

    uploaded = api.put(f"/api/v1/calls/{c.pk}/materials/{material.pk}/template/",
                       {"file": SimpleUploadedFile("申报书模板.docx", buffer.getvalue())}, format="multipart")
    page = client.get(f"/calls/{c.pk}/")
    downloaded = client.get(f"/calls/{c.pk}/materials/{material.pk}/template/")

    assert uploaded.status_code == 200 and uploaded.json()["template_url"]
    assert "申报书" in page.content.decode() and "承诺书" in page.content.decode()
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == buffer.getvalue()
