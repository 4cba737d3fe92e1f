"""Attachments: type and size limited, stored outside the web root, served only to those allowed."""
from __future__ import annotations

import hashlib

from django.db import transaction

from policy_portal.exceptions import Conflict, DomainError

from ..models import Attachment
from ..models.applications import Status
from .applications import _event, _get_for_update, _require_owner

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_APPLICATION = 20
# Allowed types, recognised by their first bytes (the browser's content type is not trusted).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    # .docx / .xlsx are ZIP containers
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
}
EXTENSIONS = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _content_type(upload) -> str:
    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    kind = EXTENSIONS.get(ext)
    if kind is None:
        raise DomainError("file_type_not_allowed", field="file", allowed=sorted(EXTENSIONS))
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[kind]):
        raise DomainError("file_content_mismatch", field="file", extension=ext)
    return kind


@transaction.atomic
def attachment_add(*, actor, application_id, upload) -> Attachment:
    app = _get_for_update(application_id)
    _require_owner(actor, app)
    if app.status not in (Status.DRAFT, Status.RETURNED):
        raise Conflict("not_editable", field="status")
    if upload.size > MAX_BYTES:
        raise DomainError("file_too_large", field="file", limit_mb=MAX_BYTES // (1024 * 1024))
    if app.attachments.count() >= MAX_PER_APPLICATION:
        raise DomainError("too_many_files", field="file", limit=MAX_PER_APPLICATION)
    content_type = _content_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(application=app, original_name=upload.name[:200], content_type=content_type,
                            size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _event(app, actor=actor, action="attach", from_status=app.status, data={"file": attachment.original_name})
    return attachment
