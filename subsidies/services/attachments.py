"""Attachments: type and size limited, stored outside the web root, served only to those allowed."""
from __future__ import annotations

import hashlib

from django.db import transaction

from policy_portal.exceptions import DomainError
from policy_portal.uploads import EXTENSIONS, shortened, sniff

from ..models import Attachment
from ..workflow import call_for, edit_check
from .applications import _event, _get_for_update

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_APPLICATION = 20


@transaction.atomic
def attachment_add(*, actor, application_id, upload, material_id: int | None = None) -> Attachment:
    """Attach a file; with `material_id`, as that material of the application's call (one file each: a new upload
    replaces the earlier one), of one of the material's accepted types, judged by content."""
    app = _get_for_update(application_id)
    edit_check(actor, app)
    material = None
    if material_id is not None:
        call = call_for(app)
        material = next((m for m in (call.materials.all() if call else []) if m.pk == material_id), None)
        if material is None:
            raise DomainError("unknown_material", field="material")
    if upload.size > MAX_BYTES:
        raise DomainError("file_too_large", field="file", limit_mb=MAX_BYTES // (1024 * 1024))
    if material is None and app.attachments.count() >= MAX_PER_APPLICATION:
        raise DomainError("too_many_files", field="file", limit=MAX_PER_APPLICATION)
    return store_file(app, upload, actor=actor, material=material)


def store_file(app, upload, *, actor, appeal=None, material=None, field: str = "file") -> Attachment:
    """Check the file's content against its type (a material's own types), store it with its digest, record the
    event. A material's new file replaces its earlier one."""
    allowed = {e: EXTENSIONS[e] for e in material.extensions if e in EXTENSIONS} if material else None
    content_type = sniff(upload, field, allowed or None)
    replaced = list(app.attachments.filter(material=material)) if material else []
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = shortened(upload.name)
    attachment = Attachment(application=app, original_name=name, content_type=content_type, material=material,
                            size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor, appeal=appeal)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    for old in replaced:
        old.delete()  # the stored file stays: the history names it, and storage is cleaned apart
    data = {"file": attachment.original_name, **({"appeal": appeal.pk} if appeal else {})}
    if material is not None:
        data.update(material=material.name_zh, replaced=[old.original_name for old in replaced])
    _event(app, actor=actor, action="attach", from_status=app.status, data=data)
    return attachment
