"""manage.py load_carriers: load 附件2's indicators and the PIC-3 / RIE targets from fixtures/ (idempotent)."""
import json

from django.core.management.base import BaseCommand, CommandError

from carriers.loading import CarrierFixtureError, carriers_load


class Command(BaseCommand):
    help = "Load the IIC evaluation indicators (附件2) and the carrier targets (PIC-3, RIE) from fixtures/ (idempotent)."

    def handle(self, *args, **options):
        try:
            report = carriers_load()
        except CarrierFixtureError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report, ensure_ascii=False))
        if not any(part["created"] or part["updated"] for part in report.values()):
            self.stdout.write("Nothing changed: the database already holds these fixtures.")
