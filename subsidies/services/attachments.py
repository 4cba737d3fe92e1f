"""Attachments: type and size limited, stored outside the web root, served only to those allowed."""
from __future__ import annotations

import hashlib

from django.db import transaction

from policy_portal.exceptions import DomainError
from policy_portal.uploads import shortened, sniff

from ..models import Attachment
from ..workflow import edit_check
from .applications import _event, _get_for_update

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_APPLICATION = 20


@transaction.atomic
def attachment_add(*, actor, application_id, upload) -> Attachment:
    app = _get_for_update(application_id)
    edit_check(actor, app)
    if upload.size > MAX_BYTES:
        raise DomainError("file_too_large", field="file", limit_mb=MAX_BYTES // (1024 * 1024))
    if app.attachments.count() >= MAX_PER_APPLICATION:
        raise DomainError("too_many_files", field="file", limit=MAX_PER_APPLICATION)
    return store_file(app, upload, actor=actor)


def store_file(app, upload, *, actor, appeal=None, field: str = "file") -> Attachment:
    """Check the file's content against its type, store it with its digest, record the event."""
    content_type = sniff(upload, field)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = shortened(upload.name)
    attachment = Attachment(application=app, original_name=name, content_type=content_type,
                            size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor, appeal=appeal)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    _event(app, actor=actor, action="attach", from_status=app.status,
           data={"file": attachment.original_name, **({"appeal": appeal.pk} if appeal else {})})
    return attachment
