"""Helpers of the matching tests: a list file, running a job's chunks here, publishing a version without a clause."""
from __future__ import annotations

import csv
import io

from django.utils import timezone

from jobs.models import Job, JobChunk
from jobs.services import chunk_run
from rules.models import ClauseRule, RuleVersion
from rules.selectors import content_checksum, version_content
from rules.services import _publish, ruleset_draft_create

HEADER = ["序号", "企业名称", "统一社会信用代码", "认定日期", "认定类型", "所属领域"]


def list_csv(rows: list[list], *, title: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow(["2026年国家级制造业单项冠军企业名单（第十批）", "", "", "", "", ""])
    writer.writerow(HEADER)
    for i, row in enumerate(rows, start=1):
        writer.writerow([i, *row])
    return out.getvalue().encode("utf-8-sig")


def run_job(job: Job) -> list[str]:
    """Run every pending chunk of the job in this process, as a worker would."""
    return [chunk_run(chunk_id=pk) for pk in
            JobChunk.objects.filter(job=job, state=JobChunk.State.PENDING).order_by("index").values_list("pk", flat=True)]


def publish_without(code: str) -> RuleVersion:
    """A copy of the current version without the clause `code`, published through the publication path
    (its signal and receivers) but without the gate: the case library still has the clause's cases."""
    draft = ruleset_draft_create(actor=None, note=f"without {code}")
    ClauseRule.objects.filter(version=draft, clause__code=code).delete()
    draft.checksum = content_checksum(version_content(draft))
    return _publish(draft, None, f"{code} removed")
