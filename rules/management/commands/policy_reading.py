"""`manage.py policy_reading [--check]`: write docs/policy-reading.md's table of conditions from fixtures/clauses.yaml."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rules.policy_reading import generated_part, load, render_table, rewrite

CLAUSES = Path(settings.BASE_DIR) / "fixtures" / "clauses.yaml"
DOCUMENT = Path(settings.BASE_DIR) / "docs" / "policy-reading.md"


class Command(BaseCommand):
    help = "Regenerate the table of conditions and the words they rest on in docs/policy-reading.md."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only say whether the document is in sync (exit 1 if not).")

    def handle(self, *args, check=False, **options):
        table = render_table(load(CLAUSES))
        markdown = DOCUMENT.read_text(encoding="utf-8")
        if check:
            if generated_part(markdown) != table:
                raise CommandError("docs/policy-reading.md is out of date: run `manage.py policy_reading`.")
            self.stdout.write("docs/policy-reading.md is in sync with fixtures/clauses.yaml.")
            return
        DOCUMENT.write_text(rewrite(markdown, table), encoding="utf-8")
        self.stdout.write(f"Wrote the table of conditions to {DOCUMENT}.")
