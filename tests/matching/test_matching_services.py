"""Profiles with provenance, official lists, and matching runs: real PostgreSQL, chunks run as a worker runs them."""
from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Organisation, Profile, Role
from jobs.models import Job
from matching.models import ListImport, Match, OrganisationFact, ProspectiveOrganisation, Source
from matching.services.lists import list_import_apply, list_import_preview, parse_date
from matching.services.profiles import effective_profile, profile_fact_verify, profile_facts_declare
from notifications.models import Notification
from policy_portal.exceptions import DomainError
from tests.factories import OrganisationFactory, UserFactory, applicant, credit_code, standard_item

from .helpers import list_csv, publish_without, run_job

pytestmark = pytest.mark.django_db
KIND = "single_champion_national"


@pytest.fixture
def admin():
    user = UserFactory()
    Profile.objects.create(user=user, role=Role.ADMIN)
    return user


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("matching.services.matching._today", lambda: dt.date(2026, 6, 1))


def test_dates_read_alike_from_excel_serials_chinese_and_iso_forms():
    assert {parse_date(46162), parse_date("46162"), parse_date("2026年5月20日"), parse_date("2026/5/20"),
            parse_date("2026-05-20"), parse_date(dt.datetime(2026, 5, 20))} == {"2026-05-20"}


def test_a_verified_fact_wins_over_a_declared_one_and_the_conflict_is_listed(admin):
    user = applicant()
    org = user.profile.organisation
    profile_facts_declare(actor=user, facts={"future_industry_field": "embodied_ai", "tech_enterprise": True})

    profile_fact_verify(actor=admin, organisation_id=org.pk, fact="future_industry_field", value="low_altitude")

    profile = effective_profile(org)
    assert profile.facts["future_industry_field"] == "low_altitude"
    assert profile.sources["future_industry_field"][0] == Source.OFFICER
    assert profile.facts["tech_enterprise"] is True
    assert profile.conflicts == [{"fact": "future_industry_field", "declared": "embodied_ai",
                                  "effective": "low_altitude", "source": "officer"}]


def test_an_applicant_cannot_declare_what_its_registration_settles():
    with pytest.raises(DomainError) as caught:
        profile_facts_declare(actor=applicant(), facts={"org_type": "university"})
    assert (caught.value.code, caught.value.field) == ("fact_from_record", "facts.org_type")


def test_a_list_with_a_bad_check_digit_a_duplicate_and_a_bad_date_names_each_and_applies_nothing(admin):
    good = credit_code(900001)
    data = list_csv([
        ["甲公司", good, "2026年5月20日", "首次认定", "具身智能"],
        ["乙公司", good[:-1] + ("0" if good[-1] != "0" else "1"), "2026-05-20", "首次认定", "具身智能"],
        ["丙公司", good, "2026-05-20", "首次认定", "具身智能"],
        ["丁公司", credit_code(900002), "去年", "首次认定", "具身智能"],
        ["戊公司", credit_code(900003), 46162, "第一次", "具身智能"],
    ])

    record = list_import_preview(actor=admin, kind_code=KIND, data=data, file_name="冠军.csv")

    errors = [(e["row"], e["column"], e["code"]) for e in record.summary["errors"]]
    assert errors == [(4, "统一社会信用代码", "invalid_check_digit"), (5, "统一社会信用代码", "list_duplicate_code"),
                      (6, "认定日期", "list_bad_date"), (7, "认定类型", "list_bad_value")]
    with pytest.raises(DomainError) as caught:
        list_import_apply(actor=admin, import_id=record.pk)
    assert caught.value.code == "list_has_errors"
    assert not OrganisationFact.objects.exists() and not ProspectiveOrganisation.objects.exists()


def test_applying_a_list_matches_its_enterprise_to_fim_6_2_and_notifies_its_members_once(admin):
    member = applicant()
    org = member.profile.organisation
    other = OrganisationFactory()
    data = list_csv([[org.name, org.credit_code, "2026年5月20日", "首次认定", "具身智能"],
                     ["未注册企业", credit_code(900010), 46162, "首次认定", "低空经济"]])

    record = list_import_preview(actor=admin, kind_code=KIND, data=data, file_name="冠军.csv")
    assert record.summary["error_count"] == 0
    assert (record.summary["organisations"], record.summary["prospects_new"], record.summary["facts_added"]) == (1, 1, 3 + 3)
    record = list_import_apply(actor=admin, import_id=record.pk)
    run_job(record.job)
    run_job(record.job)  # a redelivered chunk does nothing

    match = Match.objects.get(organisation=org, clause__code="FIM-6.2")
    assert (match.status, match.outcome) == ("notified", "eligible")
    assert Notification.objects.filter(recipient=member, kind="matching.new").count() == 1
    assert not Match.objects.filter(organisation=other).exists()
    assert ProspectiveOrganisation.objects.get(credit_code=credit_code(900010)).facts.count() == 3
    assert effective_profile(org).facts["national_single_champion_recognised_on"] == "2026-05-20"


def test_a_prospective_organisation_claims_its_imported_facts_when_it_registers(admin):
    code = credit_code(900020)
    record = list_import_preview(actor=admin, kind_code=KIND, file_name="x.csv",
                                 data=list_csv([["新企业", code, "2026-05-20", "首次认定", "具身智能"]]))
    list_import_apply(actor=admin, import_id=record.pk)

    org = Organisation.objects.create(name="新企业", credit_code=code, district="渝北区", org_type="enterprise")

    assert OrganisationFact.objects.filter(organisation=org, source=Source.IMPORTED).count() == 3
    assert ProspectiveOrganisation.objects.get(credit_code=code).claimed_by == org
    job = Job.objects.filter(kind="matching", label__endswith="claim").get()
    run_job(job)
    assert Match.objects.filter(organisation=org, clause__code="FIM-6.2", status="new").exists()  # nobody to tell yet


def test_a_publication_that_removes_a_clause_expires_its_matches_with_the_reason(admin):
    org = applicant().profile.organisation
    record = list_import_preview(actor=admin, kind_code=KIND, file_name="x.csv",
                                 data=list_csv([[org.name, org.credit_code, "2026-05-20", "首次认定", "具身智能"]]))
    run_job(list_import_apply(actor=admin, import_id=record.pk).job)

    version = publish_without("FIM-6.2")
    job = Job.objects.get(key=f"matching:v{version.number}")
    assert job.total == 1  # only the organisations the change can affect
    run_job(job)

    match = Match.objects.get(organisation=org, clause__code="FIM-6.2")
    assert (match.status, match.reason, match.rule_version) == ("expired", "clause_removed", version.number)


def test_an_approval_matches_its_organisation_again_since_the_registers_may_have_changed():
    from subsidies.hooks import application_approved
    from subsidies.models import Application
    from subsidies.services import application_create
    from tests.factories import STANDARD_FACTS

    member = applicant()
    app = application_create(actor=member, achievement_key=standard_item(), clause_code="FIM-4.2", facts=STANDARD_FACTS, amount_requested_yuan=1,
                             as_of=dt.date(2026, 6, 1))

    application_approved.send(sender=Application, application=app, actor=None)

    job = Job.objects.get(kind="matching", label__endswith="approval")
    assert job.total == 1 and run_job(job) == ["done"]
