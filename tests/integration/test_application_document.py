"""The submitted application as a printable PDF (申报书): it opens, and holds the reference, the facts as stated, the
engine's answer with its rule version, and the materials."""
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import Profile, Role
from programmes.services import call_create
from subsidies.services import application_create, application_submit
from subsidies.services.attachments import attachment_add
from tests.factories import STANDARD_FACTS, UserFactory, applicant, officer, standard_item

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def submitted(django_capture_on_commit_callbacks):
    admin = UserFactory()
    Profile.objects.create(user=admin, role=Role.ADMIN)
    call = call_create(actor=admin, title_zh="2026年标准化支持申报", clause_codes=["FIM-4.2"],
                       opens_at=timezone.now() - dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=9),
                       materials=[{"name_zh": "承诺书", "extensions": [".pdf"]}])
    user = applicant()
    app = application_create(actor=user, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=400_000,
                             as_of=dt.date(2026, 6, 1), description="牵头制定具身智能国际标准")
    attachment_add(actor=user, application_id=app.pk, material_id=call.materials.get().pk,
                   upload=SimpleUploadedFile("承诺书-盖章.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        return user, application_submit(actor=user, application_id=app.pk)


def test_the_pdf_opens_and_holds_the_reference_the_facts_the_answer_and_the_materials(
        client, django_capture_on_commit_callbacks):
    user, app = submitted(django_capture_on_commit_callbacks)
    client.force_login(user)

    response = client.get(f"/applications/{app.pk}/document.pdf", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert app.reference in text and "申报书" in text
    assert app.organisation.credit_code in text and app.organisation.name in text
    assert "具身智能" in text  # the stated field, by its choice's name
    assert "牵头制定具身智能国际标准" in text
    assert "符合条件" in text and f"v{app.evaluations.get().rule_version.number}" in text
    assert "承诺书" in text and "承诺书-盖章.pdf" in text and "2026年标准化支持申报" in text


def test_the_api_serves_the_pdf_to_the_bureau_and_refuses_a_draft(django_capture_on_commit_callbacks):
    _user, app = submitted(django_capture_on_commit_callbacks)
    owner = applicant()
    unsent = application_create(actor=owner, clause_code="FIM-4.1", facts=STANDARD_FACTS, achievement_key=standard_item(), as_of=dt.date(2026, 6, 1))
    api = APIClient()

    api.force_authenticate(officer("市经济信息委"))
    served = api.get(f"/api/v1/applications/{app.pk}/document/")
    api.force_authenticate(owner)
    refused = api.get(f"/api/v1/applications/{unsent.pk}/document/")

    assert served.status_code == 200 and app.reference in text_of(served.content)
    assert refused.status_code == 409 and refused.json()["code"] == "not_submitted"


WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@pytest.mark.skipif(not __import__("os").path.exists(WQY), reason="fonts-wqy-microhei is not installed")
def test_with_a_font_named_in_the_settings_it_is_embedded(client, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_PDF_FONT = WQY
    user, app = submitted(django_capture_on_commit_callbacks)
    client.force_login(user)

    pdf = client.get(f"/applications/{app.pk}/document.pdf", HTTP_ACCEPT_LANGUAGE="zh-hans").content

    fonts = {str(f["/BaseFont"]) for f in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()}
    assert any("WenQuanYi" in f or "wqy" in f.lower() for f in fonts), fonts
    assert app.reference in text_of(pdf) and "申报书" in text_of(pdf)
