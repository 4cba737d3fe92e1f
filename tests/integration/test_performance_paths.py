"""The fast paths of issue 15 behave as the slow ones did: throttle, version stamp, per-version caches, batch jobs.

No timing is asserted here (bench/ measures); these tests prove the answers and the guarantees.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.loading import policies_load
from eligibility import throttling
from rules import caching
from rules import selectors as rule_selectors
from rules.check import check
from rules.impact import impact_preview, impact_report, impact_start, subject_keys, subjects_for_preview
from rules.selectors import build_rulebook, clause_edit_args, current_version, rulebook_for_version
from rules.services import clause_rule_edit, ruleset_draft_create, ruleset_publish, ruleset_submit
from subsidies.models import Evaluation
from subsidies.services import application_create, application_submit
from tests.factories import STANDARD_FACTS, UserFactory, applicant, standard_item

AS_OF = dt.date(2026, 6, 1)


# ---------------------------------------------------------------- the throttle


@pytest.mark.parametrize("backend", ["redis", "process"])
def test_n_plus_one_concurrent_requests_at_a_limit_of_n_get_exactly_one_refusal(settings, backend):
    settings.REDIS_URL = "redis://127.0.0.1:6379/9" if backend == "redis" else ""
    throttling._script = None
    key, limit = f"test:{uuid.uuid4().hex}", 40
    start = threading.Barrier(limit + 1)

    def hit(_):
        start.wait()
        return throttling.window_hit(key, 60)

    with ThreadPoolExecutor(max_workers=limit + 1) as pool:
        counts = sorted(count for count, _left in pool.map(hit, range(limit + 1)))

    assert counts == list(range(1, limit + 2))  # every request counted once: exactly one is over the limit
    assert sum(1 for c in counts if c > limit) == 1
    throttling._script = None


def test_a_window_ends_and_the_count_starts_again(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/9"
    throttling._script = None
    key = f"test:{uuid.uuid4().hex}"

    first = [throttling.window_hit(key, 0.3)[0] for _ in range(3)]
    threading.Event().wait(0.5)
    after = throttling.window_hit(key, 0.3)[0]

    assert first == [1, 2, 3] and after == 1
    throttling._script = None


# ---------------------------------------------------------------- the version stamp and the caches


@pytest.fixture
def loaded(transactional_db):
    """Committed data (caches are bypassed inside a transaction), and empty caches."""
    policies_load()
    cache.clear()
    caching.clear()
    rule_selectors.forget_current_version()
    yield
    caching.clear()
    rule_selectors.forget_current_version()


def publish_raised_cap(cap: int):
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    clause_rule_edit(actor=author, version=draft, clause_code="FIM-4.2",
                     **{**clause_edit_args(draft, "FIM-4.2"), "amount_yuan": cap})
    from rules.models import GoldenCase

    GoldenCase.objects.filter(clause__code="FIM-4.2", amount_yuan__isnull=False).update(amount_yuan=cap)
    ruleset_submit(actor=author, version=draft)
    return ruleset_publish(actor=UserFactory(), version=draft, acknowledgements={"FIM-4.2": "the bureau raised the cap"})


@pytest.mark.integration
def test_the_current_version_is_read_once_and_again_after_a_publication(loaded, monkeypatch):
    monkeypatch.setattr(rule_selectors, "STAMP_TTL", 3600)
    first = current_version()

    with CaptureQueriesContext(connection) as queries:
        again = [current_version() for _ in range(50)]
    published = publish_raised_cap(800_000)

    assert len(queries) == 0 and {v.number for v in again} == {first.number}
    assert current_version().number == published.number != first.number


@pytest.mark.integration
def test_the_catalogue_answers_304_to_a_current_copy_and_changes_its_etag_on_publication(loaded, client):
    first = client.get("/api/v1/clauses/")
    etag = first["ETag"]

    again = client.get("/api/v1/clauses/", HTTP_IF_NONE_MATCH=etag)
    cached = client.get("/api/v1/clauses/")
    publish_raised_cap(800_000)
    after = client.get("/api/v1/clauses/", HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200 and first["Last-Modified"]
    assert again.status_code == 304 and again.content == b""
    assert cached.content == first.content
    assert after.status_code == 200 and after["ETag"] != etag
    fim42 = next(c for c in after.json()["results"] if c["code"] == "FIM-4.2")
    assert fim42["amount_yuan"] == 800_000


@pytest.mark.integration
def test_a_library_page_answers_304_to_a_current_copy(loaded, client):
    client.get("/policies/FIM/")  # the first visit sets the CSRF cookie the page's forms carry
    page = client.get("/policies/FIM/")

    again = client.get("/policies/FIM/", HTTP_IF_NONE_MATCH=page["ETag"])
    client.cookies["django_language"] = "en"
    english = client.get("/policies/FIM/", HTTP_IF_NONE_MATCH=page["ETag"])

    assert page.status_code == 200 and again.status_code == 304 and again.content == b""
    assert english.status_code == 200 and english["ETag"] != page["ETag"]


@pytest.mark.integration
def test_the_checker_page_is_the_same_built_once_or_every_time(loaded, client):
    cached_first = client.get("/check/").content
    cached_again = client.get("/check/").content
    caching.clear()
    from django.db import transaction

    with transaction.atomic():  # inside a transaction nothing is cached: the page is built from scratch
        fresh = client.get("/check/").content

    def without_token(body: bytes) -> bytes:
        import re

        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)

    assert without_token(cached_first) == without_token(cached_again) == without_token(fresh)


# ---------------------------------------------------------------- evaluations and the re-evaluation job


@pytest.mark.django_db
def test_an_evaluation_stores_the_outcome_and_rebuilds_trace_and_answer_from_its_version(
        django_capture_on_commit_callbacks):
    owner = applicant()
    app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1,
                             as_of=AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=owner, application_id=app.pk)

    evaluation = Evaluation.objects.select_related("application__clause", "rule_version").get(application=app)
    book = rulebook_for_version(evaluation.rule_version)

    assert evaluation.outcome == "eligible" and evaluation.groups_met == [True] * len(book.clause("FIM-4.2").groups)
    assert evaluation.result == check(book, STANDARD_FACTS, AS_OF)
    assert [g["met"] for g in evaluation.trace] == evaluation.groups_met
    assert evaluation.trace[0]["conditions"][0]["message_zh"] == book.clause("FIM-4.2").groups[0][0].message_zh


@pytest.mark.django_db
def test_reevaluating_a_chunk_takes_the_same_queries_for_ten_or_a_hundred_applications(
        django_capture_on_commit_callbacks):
    from jobs.models import Job
    from subsidies.services.reevaluation import reevaluate_chunk

    owner = applicant()
    ids = []
    for _ in range(100):
        app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1,
                                 as_of=AS_OF)
        with django_capture_on_commit_callbacks(execute=True):
            application_submit(actor=owner, application_id=app.pk)
        ids.append(app.pk)
    job = Job(kind="reevaluation", key="test", params={"version": current_version().number})
    queries = []
    for chunk in (ids[:10], ids[10:]):
        with CaptureQueriesContext(connection) as captured:
            result = reevaluate_chunk(job, chunk)
        queries.append(len(captured))
        assert result["changed"] == 0

    assert queries[0] == queries[1] <= 5
    assert Evaluation.objects.filter(application_id__in=ids, trigger="publish", outcome="eligible").count() == 100


@pytest.mark.django_db
def test_the_impact_preview_as_a_job_reports_what_the_inline_preview_reports(django_capture_on_commit_callbacks):
    from jobs.services import chunk_run

    owner = applicant()
    for _ in range(3):
        app = application_create(actor=owner, clause_code="FIM-4.2", facts=STANDARD_FACTS, achievement_key=standard_item(), amount_requested_yuan=1,
                                 as_of=AS_OF)
        with django_capture_on_commit_callbacks(execute=True):
            application_submit(actor=owner, application_id=app.pk)
    author = UserFactory()
    draft = ruleset_draft_create(actor=author)
    clause_rule_edit(actor=author, version=draft, clause_code="FIM-4.2",
                     **{**clause_edit_args(draft, "FIM-4.2"), "amount_yuan": 800_000})
    current, book = rulebook_for_version(current_version()), build_rulebook(draft)
    inline = impact_preview(current=current, draft=book, subjects=subjects_for_preview())

    job = impact_start(current=current, draft=book, keys=subject_keys())
    for chunk in job.chunks.order_by("index"):
        chunk_run(chunk_id=chunk.pk)
    job.refresh_from_db()
    by_job = impact_report(job)

    assert job.finished and by_job.subjects_evaluated == inline.subjects_evaluated
    assert by_job.totals() == inline.totals()
    def named(changes):  # a job's report names its subjects; their facts are not copied into it
        return [dataclasses.replace(c, subject=dataclasses.replace(c.subject, facts={})) for c in changes]

    assert named(by_job.changes) == named(inline.changes) and by_job.errors == inline.errors
    assert inline.amount_changes == 3 + sum(1 for c in inline.changes if c.subject.kind == "case")


@pytest.mark.parametrize("body", [
    {"facts": {}}, {"as_of": "2026-06-01", "facts": STANDARD_FACTS}, {"as_of": "2026-02-30", "facts": {}},
    {"as_of": "20260601", "facts": {}}, {"as_of": 20260601, "facts": {}}, {"facts": {}, "ruleset_version": 1},
    {"facts": {}, "ruleset_version": "1"}, {"facts": {}, "ruleset_version": True}, {"facts": {}, "ruleset_version": 0},
    {"facts": {}, "ruleset_version": 2**31}, {"facts": [], "as_of": "2026-06-01"}, {"facts": {}, "extra": 1}, [], "x",
])
def test_the_plain_input_path_accepts_only_what_the_serializer_accepts_and_as_it_does(body):
    from eligibility.apis import EligibilityCheckApi, plain_input

    serializer = EligibilityCheckApi.InputSerializer(data=body)
    valid = serializer.is_valid()

    plain = plain_input(body)

    assert plain is None or (valid and plain == dict(serializer.validated_data))
