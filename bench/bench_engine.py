"""Benchmark of the eligibility engine: time per evaluation and resident memory. A script, not a test.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_engine.py [--facts 2000] [--evaluations 20000] [--versions 200]

Runs against the current published rule version of the configured database (the dev SQLite DB in
var/ with DJANGO_DEBUG=1). Prints median and p95 µs per evaluation for durable-rules (rules.engine),
the plain evaluator (rules.evaluator) and the full check (normalise, both evaluators, explanation),
then RSS before and after many evaluations and after compiling and releasing many versions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policy_portal.settings")

import django  # noqa: E402

django.setup()

from rules.check import check  # noqa: E402
from rules.engine import engine  # noqa: E402
from rules.evaluator import fired_codes  # noqa: E402
from rules.operators import FactType, Operator, date_to_days, days_to_date, normalise_facts  # noqa: E402
from rules.selectors import current_version, rulebook_for_version  # noqa: E402

NAMES = ["重庆市低空经济产业创新中心", "重庆市产业创新中心", "重庆市人工智能产业创新中心", "低空经济产业创新中心"]
FIRST, LAST = dt.date(2023, 1, 1), dt.date(2029, 12, 31)


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def random_date(rng: random.Random, lo: dt.date = FIRST, hi: dt.date = LAST) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


def any_value(rng: random.Random, spec):
    t = spec.type
    if t == FactType.BOOL:
        return rng.random() < 0.5
    if t in (FactType.INT, FactType.MONEY):
        lo = spec.min_value or 0
        return rng.choice([lo, lo + 1, lo + 3, rng.randint(lo, 10**9)])
    if t == FactType.RATIO:
        return rng.randint(0, 10_000) / 100
    if t == FactType.DATE:
        return random_date(rng).isoformat()
    if t == FactType.ENUM:
        return rng.choice(spec.choices)
    if t == FactType.MULTI:
        return rng.sample(spec.choices, rng.randint(0, len(spec.choices)))
    return rng.choice(NAMES)


def meeting(rng: random.Random, cond, spec, clause, as_of: dt.date):
    """A raw value meeting `cond`, where the operator allows a simple construction; else any value."""
    op, x = cond.operator, cond.value
    if op == Operator.EQ and spec.type != FactType.DATE:
        return x if spec.type != FactType.RATIO else x / 100
    if op == Operator.IN:
        return rng.choice(x)
    if op == Operator.NOT_IN:
        return rng.choice([c for c in spec.choices if c not in x] or list(spec.choices))
    if op in (Operator.GT, Operator.GTE) and spec.type in (FactType.INT, FactType.MONEY):
        return x + rng.randint(1, 5)
    if op in (Operator.CONTAINS_ALL, Operator.CONTAINS_ANY):
        return list(x)
    if op == Operator.CONTAINS:
        return [x]
    if op == Operator.IN_WINDOW:
        hi = min(as_of, days_to_date(clause.end - 1)) if clause.end is not None else as_of
        return random_date(rng, days_to_date(clause.start), hi).isoformat()
    if op == Operator.LIKE:
        return x.replace("*", rng.choice(["低空经济", "人工智能", "生物制造"]))
    return any_value(rng, spec)


def fact_sets(book, n: int, seed: int = 20260601) -> list[tuple[dict, dt.date]]:
    """`n` applicants, each aiming at one clause (most of its conditions met) plus a few random facts."""
    rng = random.Random(seed)
    codes = sorted(book.vocabulary)
    out = []
    for _ in range(n):
        clause = rng.choice(book.evaluated_clauses)
        end = days_to_date(clause.end - 1) if clause.end is not None else LAST
        as_of = random_date(rng, days_to_date(clause.start), end) if rng.random() < 0.85 else random_date(rng)
        facts = {code: any_value(rng, book.vocabulary[code]) for code in rng.sample(codes, 5)}
        for group in clause.groups:
            if rng.random() < 0.9:
                cond = rng.choice(group)
                facts[cond.fact] = meeting(rng, cond, book.vocabulary[cond.fact], clause, as_of)
        out.append((facts, as_of))
    return out


def timed(label: str, fn, items) -> list[float]:
    samples = []
    for item in items:
        t0 = time.perf_counter_ns()
        fn(*item)
        samples.append((time.perf_counter_ns() - t0) / 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<46} median {statistics.median(samples):8.1f} µs   p95 {p95:8.1f} µs   (n={len(samples)})")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=2_000)
    parser.add_argument("--evaluations", type=int, default=20_000)
    parser.add_argument("--versions", type=int, default=200)
    args = parser.parse_args()

    book = rulebook_for_version(current_version())
    key = book.engine_key
    print(f"rule version {book.version}: {len(book.evaluated_clauses)} evaluated clauses, "
          f"{len(book.vocabulary)} facts; {args.facts} generated fact sets; python {sys.version.split()[0]}")

    raw = fact_sets(book, args.facts)
    normalised = [(normalise_facts(book.vocabulary, f), date_to_days(a)) for f, a in raw]
    t0 = time.perf_counter()
    engine.ensure(key, book)
    print(f"compile current version: {(time.perf_counter() - t0) * 1000:.1f} ms")
    fired = [len(fired_codes(book, f, d)) for f, d in normalised]
    print(f"clauses fired per fact set: mean {statistics.mean(fired):.2f}, max {max(fired)}; "
          f"fact sets firing at least one: {sum(1 for n in fired if n)}")
    for f, d in normalised[:200]:  # warm up
        engine.evaluate(key, book, f, d)
        check(book, *raw[0])

    print()
    timed("durable-rules (rules.engine.evaluate)", lambda f, d: engine.evaluate(key, book, f, d), normalised)
    timed("plain evaluator (rules.evaluator.fired_codes)", lambda f, d: fired_codes(book, f, d), normalised)
    timed("full check (normalise + both + explanation)", lambda f, a: check(book, f, a), raw)

    print()
    before = rss_mb()
    for i in range(args.evaluations):
        f, d = normalised[i % len(normalised)]
        engine.evaluate(key, book, f, d)
    after = rss_mb()
    print(f"RSS before {args.evaluations} evaluations: {before:7.1f} MB")
    print(f"RSS after  {args.evaluations} evaluations: {after:7.1f} MB   ({after - before:+.1f} MB)")

    t0 = time.perf_counter()
    for i in range(args.versions):
        k = f"bench_{os.getpid()}_{i}"
        engine.ensure(k, book)
        engine.release(k)
    elapsed = time.perf_counter() - t0
    released = rss_mb()
    print(f"RSS after compiling+releasing {args.versions} versions: {released:7.1f} MB   ({released - after:+.1f} MB; "
          f"{elapsed / args.versions * 1000:.2f} ms per compile+release)")

    kept = [f"bench_kept_{os.getpid()}_{i}" for i in range(args.versions)]
    for k in kept:
        engine.ensure(k, book)
    leaked = rss_mb()
    for k in kept:
        engine.release(k)
    print(f"for comparison, {args.versions} versions compiled and kept: {leaked:7.1f} MB   ({leaked - released:+.1f} MB); "
          f"after releasing them: {rss_mb():7.1f} MB")


if __name__ == "__main__":
    main()
