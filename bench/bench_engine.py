"""Benchmark of the eligibility engine against its own past and against zen-engine. A script, not a test.

    .venv/bin/python bench/bench_engine.py [--facts 2000] [--rounds 2] [--baseline 1d7b8e1] [--database-url URL]

On the current published rule version (a throw-away SQLite database loaded from fixtures/, or
--database-url), for generated fact sets:

1. checks, on every fact set, that durable-rules, the compiled evaluator and the row interpreter fire
   the same clauses, that the compiled check answers exactly as the reference (interpreter + full
   explanation) and as the code of --baseline did, and that every zen-engine encoding of the rule book
   fires what durable-rules fires;
2. times every variant interleaved: each variant evaluates a block of --block consecutive fact sets,
   then the next variant the same block, the order rotating block by block. A block lasts a few
   milliseconds, so every variant sees the same load; within it a variant runs warm, as it does
   serving requests back to back. Prints median and p95 µs per evaluation, with the load average of
   the run beside each figure;
3. prints resident memory over many evaluations and over compiled-and-released versions.

zen-engine (requirements-dev.txt) is GoRules' engine: its decisions are JDM graphs (decision table,
expression node); its expression language can also be compiled once and evaluated alone, which is
its fastest form, so that is timed too (bench/zen_jdm.py).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_BASELINE, baseline_package, cleanup, django_setup, loadavg, rss_mb, summary, table  # noqa: E402

NAMES = ["重庆市低空经济产业创新中心", "重庆市产业创新中心", "重庆市人工智能产业创新中心", "低空经济产业创新中心"]
FIRST, LAST = dt.date(2023, 1, 1), dt.date(2029, 12, 31)


def random_date(rng: random.Random, lo: dt.date = FIRST, hi: dt.date = LAST) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


def any_value(rng: random.Random, spec):
    from rules.operators import FactType

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
    from rules.operators import FactType, Operator, days_to_date

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
    from rules.operators import days_to_date

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


def baseline_book(book, module):
    """The same rule book as the baseline's own RuleBook classes (its engine key differs, so both compile)."""
    def convert(obj, cls, **override):
        return cls(**{f.name: override[f.name] if f.name in override else getattr(obj, f.name)
                      for f in dataclasses.fields(cls) if f.name in override or hasattr(obj, f.name)})

    rb = module.rulebook
    clauses = tuple(convert(c, rb.ClauseSpec, groups=tuple(tuple(convert(x, rb.Cond) for x in g) for g in c.groups))
                    for c in book.clauses)
    vocabulary = {code: convert(spec, module.operators.FactSpec) for code, spec in book.vocabulary.items()}
    return rb.RuleBook(version=book.version, clauses=clauses, vocabulary=vocabulary, checksum="baseline-" + book.checksum)


class Baseline:
    """The rules kernel as it was at `ref`, loaded beside the current one."""

    FILES = ["__init__.py", "operators.py", "rulebook.py", "evaluator.py", "engine.py", "check.py"]

    def __init__(self, ref: str, book):
        self.path = baseline_package(ref, [f for f in self.FILES if f != "__init__.py"])
        self.rulebook = importlib.import_module("baseline_rules.rulebook")
        self.operators = importlib.import_module("baseline_rules.operators")
        self.evaluator = importlib.import_module("baseline_rules.evaluator")
        self.engine = importlib.import_module("baseline_rules.engine")
        self.check = importlib.import_module("baseline_rules.check")
        self.book = baseline_book(book, self)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--block", type=int, default=100, help="fact sets per variant before the next variant runs")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git ref of the 'before' code")
    parser.add_argument("--evaluations", type=int, default=20_000, help="for the memory figures")
    parser.add_argument("--versions", type=int, default=100, help="for the memory figures")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    django_setup(database_url=args.database_url)

    import zen

    import zen_jdm
    from rules.check import check, check_reference
    from rules.compiled import compiled_book
    from rules.engine import engine
    from rules.evaluator import fired_codes
    from rules.operators import date_to_days, normalise_facts
    from rules.selectors import current_version, rulebook_for_version

    book = rulebook_for_version(current_version())
    key = book.engine_key
    compiled = compiled_book(book)
    base = Baseline(args.baseline, book)
    print(f"rule version {book.version}: {len(book.evaluated_clauses)} evaluated clauses, {len(book.vocabulary)} facts; "
          f"{args.facts} generated fact sets; python {sys.version.split()[0]}; zen-engine {zen_version()}; "
          f"before = {args.baseline}")

    raw = fact_sets(book, args.facts)
    normalised = [(normalise_facts(book.vocabulary, f), date_to_days(a)) for f, a in raw]
    contexts = [zen_jdm.context(f, d) for f, d in normalised]
    decisions = dict(zen_jdm.decisions(book))
    expressions = {name: (zen.compile_expression(source), read) for name, (source, read) in zen_jdm.expressions(book).items()}

    # -- 1. the same answers everywhere, before any timing
    t0 = time.perf_counter()
    fired_counts = []
    for (facts, as_of), (f, d), ctx in zip(raw, normalised, contexts):
        by_durable = engine.evaluate(key, book, f, d)
        assert compiled.fired_codes(f, d) == by_durable == fired_codes(book, f, d), (facts, as_of)
        for name, decision in decisions.items():
            assert zen_jdm.fired(name, book, decision.evaluate(ctx)) == by_durable, (name, facts, as_of)
        for name, (expression, read) in expressions.items():
            assert read(expression.evaluate(ctx)) == by_durable, (name, facts, as_of)
        answer = check(book, facts, as_of)
        assert answer == check_reference(book, facts, as_of), (facts, as_of)
        before = base.check.check(base.book, facts, as_of)
        assert answer == before, ("differs from the baseline", facts, as_of)
        fired_counts.append(len(by_durable))
    print(f"same clauses fired by durable-rules, the compiled evaluator, the interpreter and {len(decisions) + len(expressions)} "
          f"zen-engine encodings, and the same check answer now, by the reference and before, on all {len(raw)} fact sets "
          f"({time.perf_counter() - t0:.1f} s); clauses fired per fact set: mean {statistics.mean(fired_counts):.2f}, "
          f"max {max(fired_counts)}")

    # -- 2. timing, interleaved
    bkey, bbook = base.book.engine_key, base.book
    variants = {
        "durable-rules path (rules.engine.evaluate)": lambda i: engine.evaluate(key, book, *normalised[i]),
        "plain evaluator, compiled (rules.compiled)": lambda i: compiled.fired_codes(*normalised[i]),
        "full check (rules.check.check)": lambda i: check(book, *raw[i]),
        "before: durable-rules path": lambda i: base.engine.engine.evaluate(bkey, bbook, *normalised[i]),
        "before: plain evaluator (row interpreter)": lambda i: base.evaluator.fired_codes(bbook, *normalised[i]),
        "before: full check": lambda i: base.check.check(bbook, *raw[i]),
    }
    for name, decision in decisions.items():
        variants[f"zen-engine JDM: {name}"] = lambda i, d=decision, n=name: zen_jdm.fired(n, book, d.evaluate(contexts[i]))
    for name, (expression, read) in expressions.items():
        variants[f"zen-engine expression, compiled once: {name}"] = lambda i, e=expression, r=read: r(e.evaluate(contexts[i]))
    for fn in variants.values():  # warm up on other inputs than the timed ones
        for i in range(0, len(raw), 10):
            fn(i)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    loads = []
    names = list(variants)
    clock = time.perf_counter_ns
    for r in range(args.rounds):
        for b, start in enumerate(range(0, len(raw), args.block)):
            loads.append(loadavg())
            block = range(start, min(start + args.block, len(raw)))
            shift = (b + r) % len(names)
            for name in names[shift:] + names[:shift]:
                fn, out = variants[name], samples[name]
                for i in block:
                    t = clock()
                    fn(i)
                    out.append((clock() - t) / 1000)
    load = statistics.mean(loads)
    durable = statistics.median(samples[names[0]])
    rows = []
    for name in names:
        median, p95 = summary(samples[name])
        rows.append([name, f"{median:.1f}", f"{p95:.1f}", f"{median / durable:.2f}", f"{load:.2f}"])
    print()
    print(table(rows, ["path", "median µs", "p95 µs", "vs durable", "load avg"]))
    zen_best = min(statistics.median(samples[n]) for n in names if n.startswith("zen-engine"))
    full = statistics.median(samples["full check (rules.check.check)"])
    print()
    print(f"durable-rules path {durable:.1f} µs vs zen-engine's best {zen_best:.1f} µs: "
          f"{'durable-rules ahead' if durable < zen_best else 'zen-engine ahead'} ({zen_best / durable:.2f}×)")
    print(f"full check {full:.1f} µs = {full / durable:.2f}× the durable-rules path (target ≤ 1.5×)")

    # -- 3. memory
    print()
    before_rss = rss_mb()
    for i in range(args.evaluations):
        engine.evaluate(key, book, *normalised[i % len(normalised)])
    after = rss_mb()
    print(f"RSS before {args.evaluations} evaluations: {before_rss:7.1f} MB; after: {after:7.1f} MB ({after - before_rss:+.1f} MB)")
    t0 = time.perf_counter()
    for i in range(args.versions):
        k = f"bench_{os.getpid()}_{i}"
        engine.ensure(k, book)
        engine.release(k)
    released = rss_mb()
    print(f"RSS after compiling+releasing {args.versions} versions: {released:7.1f} MB ({released - after:+.1f} MB; "
          f"{(time.perf_counter() - t0) / args.versions * 1000:.2f} ms per compile+release)")
    t0 = time.perf_counter()
    for _ in range(20):
        book.__dict__.pop("_compiled", None)
        compiled_book(book)
    print(f"compiling the rule book to Python: {(time.perf_counter() - t0) / 20 * 1000:.1f} ms per version")
    cleanup(base.path)


def zen_version() -> str:
    from importlib.metadata import version

    return version("zen-engine")


if __name__ == "__main__":
    main()
