"""The statistics page's queries at 100k applications: time per grouping (median of repeats) with the load average.

    .venv/bin/python bench/bench_statistics.py [--n 100000] [--repeat 7] [--keep]

Makes a PostgreSQL database of its own (bench_statistics), bulk-creates N submitted applications over every
clause, 60 organisations in 12 districts and two years, a third of them approved, and a payment order with its
instalments for most approvals (half of them paid); then times payments.statistics.statistics() (the page's and
the API's one call) for each group_by, for one year and for all years, and shows the plan of the heaviest query.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import django_setup, loadavg, summary, table  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432/"
DB = "bench_statistics"
DISTRICTS = ["渝中区", "江北区", "渝北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "巴南区", "大渡口区", "两江新区",
             "西部科学城重庆高新区", "万州区"]


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def seed(n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from accounts.credit_code import check_digit
    from accounts.models import Organisation
    from catalogue.models import Bureau, Clause
    from payments.models import Instalment, PaymentOrder, PublicityEntry, PublicityList
    from subsidies.models import Application

    rng = random.Random(12)
    user, _ = get_user_model().objects.get_or_create(username="bench-statistics")
    orgs = []
    for i in range(60):
        first17 = f"915001{80000000000 + i:011d}"
        org, _ = Organisation.objects.get_or_create(credit_code=first17 + check_digit(first17), defaults={
            "name": f"重庆统计基准企业{i}", "district": DISTRICTS[i % len(DISTRICTS)], "org_type": "enterprise"})
        orgs.append(org)
    clauses = list(Clause.objects.all())
    bureaus = list(Bureau.objects.filter(level="municipal")[:10]) or list(Bureau.objects.all()[:10])
    tz = timezone.get_current_timezone()
    year = timezone.localdate().year
    t0 = time.perf_counter()
    with transaction.atomic():
        batch = []
        for i in range(n):
            status = rng.choices(["approved", "rejected", "submitted", "under_review", "returned"], [34, 20, 20, 16, 10])[0]
            submitted = dt.datetime(year - rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28), 10, tzinfo=tz)
            amount = rng.randrange(50_000, 3_000_000, 10_000)
            batch.append(Application(
                reference=f"B{i:011d}", organisation=orgs[i % len(orgs)], created_by=user, clause=rng.choice(clauses),
                facts={}, as_of=submitted.date(), amount_requested_yuan=amount, status=status,
                amount_approved_yuan=amount if status == "approved" else None, bureau=rng.choice(bureaus),
                submitted_at=submitted, decided_at=submitted + dt.timedelta(days=20) if status in ("approved", "rejected")
                else None))
        Application.objects.bulk_create(batch, batch_size=5000)
        approved = list(Application.objects.filter(status="approved", reference__startswith="B")
                        .values_list("pk", "clause_id", "bureau_id", "amount_approved_yuan", "decided_at"))
        publicity = PublicityList.objects.create(title="基准", clause=clauses[0], bureau=bureaus[0], starts_on=dt.date(year, 1, 1),
                                                 ends_on=dt.date(year, 1, 8), status="closed", created_by=user)
        entries = PublicityEntry.objects.bulk_create([
            PublicityEntry(publicity=publicity, application_id=pk, organisation_name="-", credit_code="-", clause_code="-",
                           amount_yuan=amount, state="final") for pk, _, _, amount, _ in approved[: len(approved) * 4 // 5]],
            batch_size=5000)
        orders = PaymentOrder.objects.bulk_create([
            PaymentOrder(application_id=e.application_id, entry=e, amount_yuan=e.amount_yuan, payer=bureaus[0])
            for e in entries], batch_size=5000)
        decided = {pk: when for pk, _, _, _, when in approved}
        instalments = []
        for o in orders:
            half = o.amount_yuan // 2
            paid_on = (decided[o.application_id] + dt.timedelta(days=40)).date()
            paid = rng.random() < 0.5
            instalments.append(Instalment(order=o, position=1, label_zh="建设期", amount_yuan=half,
                                          status="paid" if paid else "scheduled", paid_on=paid_on if paid else None,
                                          voucher_no="V" if paid else ""))
            instalments.append(Instalment(order=o, position=2, label_zh="运营期", amount_yuan=o.amount_yuan - half))
        Instalment.objects.bulk_create(instalments, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {n} applications, {len(orders)} payment orders in {time.perf_counter() - t0:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Reuse the database if it is already seeded.")
    args = parser.parse_args()
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB}")
    django_setup(database_url=PG + DB)
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from payments.statistics import GROUPS, statistics
    from subsidies.models import Application

    if not Application.objects.filter(reference__startswith="B").exists():
        seed(args.n)
    year = timezone.localdate().year
    rows = []
    for year_filter in (year, None):
        for group_by in GROUPS:
            samples = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                result = statistics(group_by=group_by, year=year_filter)
                samples.append((time.perf_counter() - t0) * 1000)
            median, p95 = summary(samples)
            rows.append([group_by, year_filter or "all", len(result), sum(r.count_applications for r in result),
                         f"{median:.1f}", f"{p95:.1f}", f"{loadavg():.2f}"])
    print(table(rows, ["group_by", "year", "rows", "applications", "median ms", "p95 ms", "load avg"]))
    with connection.cursor() as cursor:  # the plan of the application query behind group_by=district for the year
        zone = timezone.get_current_timezone()
        qs = Application.objects.filter(submitted_at__gte=dt.datetime(year, 1, 1, tzinfo=zone),
                                        submitted_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=zone))
        sql, params = qs.values("organisation__district").annotate(n=Count("pk")).order_by().query.sql_with_params()
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        print("\n".join(r[0] for r in cursor.fetchall()))


if __name__ == "__main__":
    main()
