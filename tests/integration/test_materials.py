"""Materials of a call (申报材料): uploaded one file each, of the accepted types judged by content; the required ones
checked at submission, the refusal naming each missing one in Chinese."""
import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from policy_portal.exceptions import DomainError
from programmes.services import call_create
from subsidies.models.applications import Status
from subsidies.services import application_create, application_submit
from subsidies.services.attachments import attachment_add
from tests.factories import STANDARD_FACTS, UserFactory, applicant, standard_item

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def open_call():
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    return call_create(actor=admin, title_zh="2026年标准化支持申报", clause_codes=["FIM-4.2"],
                       opens_at=timezone.now() - dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=9),
                       materials=[{"name_zh": "申报书", "extensions": [".docx", ".pdf"]},
                                  {"name_zh": "承诺书", "extensions": [".pdf"]},
                                  {"name_zh": "其他材料", "required": False}])


def draft(user):
    return application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                              as_of=dt.date(2026, 6, 1))


def test_submitting_without_the_required_materials_names_each_missing_one_in_chinese():
    call = open_call()
    user = applicant()
    app = draft(user)
    attachment_add(actor=user, application_id=app.pk, material_id=call.materials.get(name_zh="申报书").pk,
                   upload=SimpleUploadedFile("申报书.docx", docx()))

    with pytest.raises(DomainError) as refused, override("zh-hans"):
        application_submit(actor=user, application_id=app.pk)
    with override("zh-hans"):
        message = refused.value.message

    assert refused.value.code == "materials_missing" and refused.value.field == "materials"
    assert "承诺书" in message and "申报书" not in message and "其他材料" not in message


def test_with_every_required_material_it_is_submitted_under_the_call():
    call = open_call()
    user = applicant()
    app = draft(user)
    for name, file in (("申报书", SimpleUploadedFile("申报书.pdf", PDF)), ("承诺书", SimpleUploadedFile("承诺书.pdf", PDF))):
        attachment_add(actor=user, application_id=app.pk, material_id=call.materials.get(name_zh=name).pk, upload=file)

    submitted = application_submit(actor=user, application_id=app.pk)

    assert submitted.status == Status.SUBMITTED and submitted.call == call


def test_a_material_takes_only_its_types_judged_by_content_and_a_new_upload_replaces_the_old():
    call = open_call()
    user = applicant()
    app = draft(user)
    promise = call.materials.get(name_zh="承诺书")

    with pytest.raises(DomainError) as wrong_type:
        attachment_add(actor=user, application_id=app.pk, material_id=promise.pk,
                       upload=SimpleUploadedFile("承诺书.docx", docx()))
    with pytest.raises(DomainError) as disguised:
        attachment_add(actor=user, application_id=app.pk, material_id=promise.pk,
                       upload=SimpleUploadedFile("承诺书.pdf", b"MZ\x90\x00 not a pdf"))
    attachment_add(actor=user, application_id=app.pk, material_id=promise.pk,
                   upload=SimpleUploadedFile("v1.pdf", PDF))
    attachment_add(actor=user, application_id=app.pk, material_id=promise.pk,
                   upload=SimpleUploadedFile("v2.pdf", PDF))

    assert (wrong_type.value.code, wrong_type.value.field) == ("file_type_not_allowed", "file")
    assert (disguised.value.code, disguised.value.field) == ("file_content_mismatch", "file")
    assert [a.original_name for a in app.attachments.filter(material=promise)] == ["v2.pdf"]


def test_the_api_uploads_a_material_and_lists_the_calls_materials_with_what_is_uploaded():
    call = open_call()
    user = applicant()
    app = draft(user)
    api = APIClient()
    api.force_authenticate(user)
    statement = call.materials.get(name_zh="申报书")

    uploaded = api.post(f"/api/v1/applications/{app.pk}/attachments/",
                        {"file": SimpleUploadedFile("申报书.pdf", PDF), "material": statement.pk}, format="multipart")
    unknown = api.post(f"/api/v1/applications/{app.pk}/attachments/",
                       {"file": SimpleUploadedFile("x.pdf", PDF), "material": 999999}, format="multipart")
    detail = api.get(f"/api/v1/applications/{app.pk}/").json()

    assert uploaded.status_code == 201 and uploaded.json()["material"] == statement.pk
    assert unknown.status_code == 400 and unknown.json()["field"] == "material"
    assert detail["call"]["title_zh"] == "2026年标准化支持申报"
    rows = {m["name_zh"]: m for m in detail["materials"]}
    assert rows["申报书"]["attachment"]["original_name"] == "申报书.pdf" and rows["承诺书"]["attachment"] is None
    assert rows["承诺书"]["required"] is True and rows["其他材料"]["required"] is False


def test_the_application_page_lists_the_materials_with_their_templates_and_upload_forms(client):
    call = open_call()
    user = applicant()
    app = draft(user)
    client.force_login(user)

    page = client.get(f"/applications/{app.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    posted = client.post(f"/applications/{app.pk}/attachments/",
                         {"file": SimpleUploadedFile("承诺书.pdf", PDF),
                          "material": call.materials.get(name_zh="承诺书").pk})

    assert "申报材料" in page and "承诺书" in page and 'name="material"' in page
    assert posted.status_code == 302 and app.attachments.get().material.name_zh == "承诺书"
