"""manage.py load_policies: load the five documents, the facts vocabulary and the rules (idempotent)."""
import json

from django.core.management.base import BaseCommand, CommandError

from catalogue.loading import FixtureError, policies_load
from policy_portal.exceptions import DomainError


class Command(BaseCommand):
    help = "Load the five policy documents, the facts vocabulary and the clause rules from fixtures/ (idempotent)."

    def handle(self, *args, **options):
        try:
            report = policies_load()
        except FixtureError as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:  # the publish gate refused the fixtures' rules: nothing was written
            raise CommandError(f"{exc.code}: {exc.detail or exc.message}") from exc
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        for note in report.notes:
            self.stdout.write(note)
        if not report.changed:
            self.stdout.write("Nothing changed: the database already holds these fixtures.")
