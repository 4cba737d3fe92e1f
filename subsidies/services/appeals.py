"""复核: the applicant appeals a rejection with reasons and files, in one transaction with the workflow's appeal
action (its check: the applicant, a rejected application, within the limit, once per rejection)."""
from __future__ import annotations

from django.db import transaction

from policy_portal.exceptions import DomainError
from policy_portal.uploads import sniff

from ..models import Appeal, Application
from .actions import application_transition
from .attachments import MAX_BYTES, store_file

MAX_APPEAL_FILES = 5


@transaction.atomic
def application_appeal(*, actor, application_id, reason: str, files: list | None = None) -> Application:
    """Ask for review of a rejection; the files are kept with the appeal. Nothing is written if any is refused."""
    files = list(files or [])
    if len(files) > MAX_APPEAL_FILES:
        raise DomainError("too_many_files", field="files", limit=MAX_APPEAL_FILES)
    for upload in files:
        if upload.size > MAX_BYTES:
            raise DomainError("file_too_large", field="files", limit_mb=MAX_BYTES // (1024 * 1024))
        sniff(upload, "files")  # refused before anything is written
    app = application_transition(actor=actor, application_id=application_id, action="appeal", reason=reason)
    appeal = Appeal.objects.get(application=app, outcome=Appeal.Outcome.PENDING)
    for upload in files:
        store_file(app, upload, actor=actor, appeal=appeal, field="files")
    return app
