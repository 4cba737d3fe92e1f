"""Reads of background jobs: one job by its key, and what its chunks reported."""
from __future__ import annotations

from .models import Job, JobChunk


def job_by_key(key: str) -> Job | None:
    return Job.objects.filter(key=key).first()


def job_get(pk: int) -> Job | None:
    return Job.objects.filter(pk=pk).first()


def job_results(job: Job, name: str) -> list:
    """The `name` lists of every finished chunk's result, joined in chunk order."""
    out = []
    for result in JobChunk.objects.filter(job=job, state=JobChunk.State.DONE).order_by("index").values_list("result", flat=True):
        out.extend(result.get(name) or [])
    return out
