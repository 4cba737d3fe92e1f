"""Background jobs split into chunks: the durable record of work to do, and its progress.

A job (re-evaluating the open applications after a publication, matching organisations, …) is
created with all its chunks in the same transaction as the change that calls for it, so the work
survives any process dying afterwards. A chunk is done exactly once: its effects and its `done`
mark commit together (jobs.services.chunk_run), so a chunk delivered twice, or resumed after a
worker died, never repeats finished work.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")

    kind = models.CharField(max_length=40, help_text=_("Which handler runs its chunks, e.g. reevaluation."))
    key = models.CharField(max_length=120, unique=True, help_text=_("Starting the same work twice returns this job."))
    label = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    total = models.PositiveIntegerField(default=0, help_text=_("Items to process."))
    done = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0, help_text=_("Items whose outcome the job changed."))
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="job_done_at_most_total"),
            models.CheckConstraint(condition=Q(chunks_done__lte=models.F("chunks_total")),
                                   name="job_chunks_done_at_most_total"),
        ]

    def __str__(self):
        return f"{self.key} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.state == self.State.DONE


class JobChunk(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    items = models.JSONField(help_text=_("What the chunk processes, e.g. application ids."))
    size = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text=_("Times a worker started it."))
    queued_at = models.DateTimeField(null=True, blank=True, help_text=_("Last handed to the broker."))
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="job_chunk_index_unique")]
        indexes = [models.Index(fields=["state", "queued_at"], name="job_chunk_pending_idx",
                                condition=Q(state="pending"))]

    def __str__(self):
        return f"{self.job.key}#{self.index} ({self.state})"
