"""`manage.py import_rules FILE --draft N --actor USERNAME`: apply an edited Excel or YAML export to a draft.

All or nothing: the first error changes nothing and is reported with the sheet, row and column
it came from (e.g. conditions!R12:operator); the command then exits with status 1.
"""
from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from policy_portal.exceptions import DomainError
from rules.models import RuleVersion
from rules.selectors import version_by_number
from rules.spreadsheets import MAX_BYTES, draft_import

SUFFIXES = {".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}


class Command(BaseCommand):
    help = "Import an edited rule-table workbook (.xlsx) or YAML file into a draft rule version, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .yaml file to import.")
        parser.add_argument("--draft", dest="draft", type=int, required=True, help="The draft's version number.")
        parser.add_argument("--actor", dest="actor", required=True, help="Username recorded as the editor.")
        parser.add_argument("--format", dest="format", choices=["xlsx", "yaml"], help="Default: from the file's suffix.")

    def handle(self, *args, file, draft, actor, format=None, **options):
        path = Path(file)
        fmt = format or SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise CommandError("--format: say xlsx or yaml (the file's suffix does not tell).")
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"file: cannot read {file}: {exc.strerror or exc}.") from None
        if len(data) > MAX_BYTES:
            raise CommandError(f"file: larger than {MAX_BYTES // (1024 * 1024)} MB — nothing was changed.")
        try:
            version = version_by_number(draft)
        except RuleVersion.DoesNotExist:
            raise CommandError(f"draft: there is no rule version {draft}.") from None
        user = get_user_model().objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"actor: there is no active user {actor!r}.")
        try:
            report = draft_import(actor=user, draft=version, data=data, fmt=fmt)
        except DomainError as exc:  # the command line speaks English, like its other errors
            raise CommandError(f"{exc.field}: {exc.detail} [{exc.code}] — nothing was changed.") from None
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
