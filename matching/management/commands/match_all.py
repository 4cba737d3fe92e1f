"""Match every organisation again under the current rule version (queued as a chunked job)."""
from django.core.management.base import BaseCommand

from matching.services.matching import matching_start_all


class Command(BaseCommand):
    help = "Match every organisation again under the current rule version, as a chunked background job."

    def handle(self, *args, **options):
        job = matching_start_all(trigger="command")
        self.stdout.write(f"{job.key}: {job.total} organisations in {job.chunks_total} chunks")
