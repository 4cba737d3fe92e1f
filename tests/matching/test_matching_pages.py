"""The pages and API of matching: 为您匹配, one-click application, the list import, officers' counts and 免申即享."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Profile, Role
from jobs.models import Job
from matching.models import Match
from subsidies.models import Application
from tests.factories import UserFactory, applicant, officer

from .helpers import list_csv, run_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("matching.services.matching._today", lambda: dt.date(2026, 6, 1))


@pytest.fixture
def admin():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.ADMIN)
    return user


def _import(client, admin, rows):
    client.force_login(admin)
    response = client.post("/matching/lists/", {"kind": "single_champion_national",
                                                "file": SimpleUploadedFile("冠军.csv", list_csv(rows))})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_an_enterprise_on_an_imported_list_applies_with_one_click_and_the_draft_carries_the_imported_facts(client, admin):
    member = applicant()
    org = member.profile.organisation
    preview = _import(client, admin, [[org.name, org.credit_code, "2026年5月20日", "首次认定", "具身智能"]])
    page = client.get(preview).content.decode()
    assert "新增" in page or "added" in page
    client.post(preview, {"action": "apply"})
    run_job(Job.objects.get(key__startswith="matching:list:"))

    client.force_login(member)
    mine = client.get("/matches/").content.decode()
    response = client.post(f"/matches/{Match.objects.get(organisation=org).pk}/apply/")

    assert "FIM-6.2" in mine
    application = Application.objects.get(organisation=org)
    assert response["Location"] == f"/applications/{application.pk}/"
    assert application.clause.code == "FIM-6.2"
    assert application.facts["national_single_champion_recognised_on"] == "2026-05-20"
    assert application.facts["national_single_champion_recognition_type"] == "first"
    assert application.achievement_key.startswith("国家级制造业单项冠军企业名单")
    assert Match.objects.get(organisation=org).status == "applied"


def test_the_lead_bureau_marks_a_clause_no_application_and_confirms_the_proposed_awards_together(client, admin):
    orgs = [applicant().profile.organisation for _ in range(2)]
    _import(client, admin, [[o.name, o.credit_code, "2026-05-20", "首次认定", "具身智能"] for o in orgs])
    from matching.models import ListImport
    client.post(f"/matching/lists/{ListImport.objects.get().pk}/", {"action": "apply"})
    run_job(ListImport.objects.get().job)
    from rules.selectors import current_version, rulebook_for_version
    lead = rulebook_for_version(current_version()).clause("FIM-6.2").lead_bureau
    client.force_login(officer(lead))

    client.post("/matching/clauses/FIM-6.2/", {"action": "mode", "no_application": "1"})
    ids = list(Match.objects.filter(clause__code="FIM-6.2").values_list("pk", flat=True))
    page = client.get("/matching/clauses/FIM-6.2/").content.decode()
    client.post("/matching/clauses/FIM-6.2/", {"action": "confirm", "match": [str(i) for i in ids]})
    counts = client.get("/api/v1/matching/clauses/").json()["results"]

    assert "拟奖励" in page or "Proposed" in page
    assert set(Match.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"awarded"}
    assert {"code": "FIM-6.2", "awarded": 2, "no_application": True}.items() <= next(
        r for r in counts if r["code"] == "FIM-6.2").items()


def test_another_bureau_cannot_mark_a_clause_no_application(client):
    client.force_login(officer("市科技局"))

    client.post("/matching/clauses/FIM-6.2/", {"action": "mode", "no_application": "1"})

    from matching.models import ClauseMatching
    assert not ClauseMatching.objects.exists()


def test_the_profile_page_declares_a_fact_and_the_api_shows_its_source(client):
    member = applicant()
    client.force_login(member)

    response = client.post("/matches/profile/", {"fact": "future_industry_field", "value": "低空经济"})
    profile = client.get("/api/v1/profile/").json()

    assert response.status_code == 302
    assert {"fact": "future_industry_field", "value": "low_altitude", "source": "self"}.items() <= next(
        f for f in profile["facts"] if f["fact"] == "future_industry_field").items()
    assert client.get("/matches/profile/").status_code == 200


def test_a_list_uploaded_through_the_api_with_a_bad_row_is_refused_on_apply(client, admin):
    client.force_login(admin)
    data = list_csv([["甲", "91500000MA5U7Q2X3Y", "2026-05-20", "首次认定", "具身智能"]])

    preview = client.post("/api/v1/lists/preview", {"kind": "single_champion_national",
                                                    "file": SimpleUploadedFile("a.csv", data)})
    applied = client.post(f"/api/v1/lists/imports/{preview.json()['id']}/apply", content_type="application/json")

    assert preview.status_code == 201 and preview.json()["summary"]["error_count"] == 1
    assert preview.json()["summary"]["errors"][0]["row"] == 3
    assert (applied.status_code, applied.json()["code"]) == (400, "list_has_errors")
