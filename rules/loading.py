"""The rules part of `manage.py load_policies`: the facts vocabulary, the case library, and the clause rules.

Registered with catalogue.loading in RulesConfig.ready(), so the catalogue never imports rules.
"""
from __future__ import annotations

import re
from pathlib import Path

from catalogue.loading import ClauseRow, FixtureError, LoadReport, as_date, read_yaml, strict_keys, upsert
from catalogue.models import Clause, Document

from .cases import CASE_KEYS
from .models import Fact, GoldenCase, RuleVersion
from .operators import FactSpec, normalise_condition_value
from .selectors import content_checksum, current_version, version_content
from .services import amounts_to_acknowledge, ruleset_draft_from_content, ruleset_publish, ruleset_submit, system_actor

CONDITION_KEYS = {"fact", "op", "value", "zh", "en", "src", "src_doc", "interpretation"}
# A condition names the words it rests on (src, verbatim in its document or in src_doc), or the documented
# interpretation it follows (interpretation: "I-n: reason"), or both where the words do not settle it.
SOURCE_KEYS = {"src_doc": "source_document", "src": "source_quote", "interpretation": "interpretation"}
FIXTURES_NOTE = "load_policies 载入 fixtures/ 中的政策规则"  # the system actor writes in Chinese, as officers do
FACT_KEYS = {"code", "section", "type", "label_zh", "label_en", "help_zh", "help_en", "choices", "min_value", "max_value"}


def load_facts(report: LoadReport, root: Path) -> dict[str, FactSpec]:
    specs = {}
    for position, row in enumerate(read_yaml(root / "facts.yaml")):
        strict_keys(row, FACT_KEYS, f"fact {row.get('code')}")
        choices = row.get("choices") or []
        for c in choices:
            strict_keys(c, {"value", "zh", "en"}, f"fact {row['code']} choice")
            if not re.fullmatch(r"[a-z0-9_]+", c["value"]):
                raise FixtureError(f"fact {row['code']}: choice value {c['value']!r} must be lower-case ASCII")
        fact = upsert(
            report,
            Fact,
            {"code": row["code"]},
            {
                "section": row["section"],
                "position": position,
                "type": row["type"],
                "label_zh": row["label_zh"],
                "label_en": row["label_en"],
                "help_zh": row.get("help_zh", ""),
                "help_en": row.get("help_en", ""),
                "choices": choices,
                "min_value": row.get("min_value"),
                "max_value": row.get("max_value"),
            },
        )
        specs[fact.code] = FactSpec(fact.code, fact.type, choices=tuple(c["value"] for c in choices),
                                    min_value=fact.min_value, max_value=fact.max_value)
    return specs


def _alternatives(item) -> list[dict]:
    return item["any"] if isinstance(item, dict) and "any" in item else [item]


def _test_of(item) -> tuple:
    """What a condition item tests; a review is told apart by what it asks the officer to judge."""
    return tuple((c["fact"], c["op"], repr(c.get("value")), c["zh"] if c["op"] == "review" else "")
                 for c in _alternatives(item))


def required_conditions(code: str, row: dict, rows_by_code: dict[str, dict], articles: dict[str, str]) -> list:
    """A clause's conditions with those of the clauses it `requires` (IIC-12 requires 第十条 and 第十一条:
    "对申报条件、方案内容进行审核，符合条件的行文函报"), each copied once, its message prefixed with its article."""
    items = list(row.get("conditions") or [])
    seen = {_test_of(item) for item in items}
    for required in row.get("requires") or []:
        if required not in rows_by_code:
            raise FixtureError(f"{code}: requires unknown clause {required!r}")
        article = articles[required]
        for item in rows_by_code[required].get("conditions") or []:
            if _test_of(item) in seen:
                continue
            seen.add(_test_of(item))
            copies = [{**c, "zh": f"{article}{'' if c['zh'].startswith('（') else '：'}{c['zh']}",
                       "en": f"{required}: {c['en']}"} for c in _alternatives(item)]
            items.append({"any": copies} if len(copies) > 1 else copies[0])
    return items


def _condition_rows(code: str, conditions: list, vocabulary: dict[str, FactSpec],
                    texts: dict[str, str] | None = None, document: str = "") -> list[dict]:
    rows = []
    for group, item in enumerate(conditions):
        for position, c in enumerate(_alternatives(item)):
            where = f"{code} condition {group}.{position}"
            strict_keys(c, CONDITION_KEYS, where)
            spec = vocabulary.get(c["fact"])
            if spec is None:
                raise FixtureError(f"{code}: unknown fact {c['fact']!r}")
            try:
                normalise_condition_value(spec, c["op"], c.get("value"))
            except Exception as exc:
                raise FixtureError(f"{code}: condition on {c['fact']}: {exc}") from exc
            if texts is not None and c.get("src"):
                source = c.get("src_doc") or document
                if source not in texts or c["src"] not in texts[source]:
                    raise FixtureError(f"{where}: src {c['src']!r} is not an exact passage of {source}")
            row = {"group": group, "position": position, "fact": c["fact"], "operator": c["op"],
                   "value": c.get("value"), "message_zh": c["zh"], "message_en": c["en"]}
            row.update({column: c[key] for key, column in SOURCE_KEYS.items() if c.get(key)})
            rows.append(row)
    return rows


def rule_content(rows: list[ClauseRow], vocabulary: dict[str, FactSpec]) -> list[dict]:
    """The clause rules the fixtures state, in the canonical shape of rules.selectors.version_content."""
    content = []
    rows_by_code = {item.clause.code: item.row for item in rows}
    articles = {item.clause.code: item.clause.article.number_zh or item.clause.article.key for item in rows}
    texts = {item.document.code: item.document.full_text for item in rows}
    texts.update(Document.objects.exclude(code__in=texts).values_list("code", "full_text"))
    for item in rows:
        row, clause, doc = item.row, item.clause, item.document
        content.append(
            {
                "clause": clause.code,
                "title_zh": clause.title_zh,
                "title_en": clause.title_en,
                "quote": clause.quote,
                "amount_yuan": row.get("amount_yuan"),
                "amount_kind": row["amount_kind"],
                "effective_from": str(as_date(row.get("effective_from")) or doc.effective_from),
                "effective_to": str(as_date(row["effective_to"])) if row.get("effective_to") else (
                    str(doc.effective_to) if doc.effective_to else None),
                "bureaus": item.bureaus,
                "conditions": _condition_rows(clause.code, required_conditions(clause.code, row, rows_by_code, articles),
                                              vocabulary, texts, doc.code),
            }
        )
    return content


FIXTURES_ACKNOWLEDGEMENT = "fixtures/clauses.yaml, as reviewed in the repository"


def publish_fixture_content(content: list[dict], *, note: str = FIXTURES_NOTE) -> RuleVersion:
    """Publish `content` through the one publish path: a draft by the system actor, submitted, then the gate
    (a compile in a child process, every case of the library). Raises the gate's DomainError if it refuses."""
    actor = system_actor()
    draft = ruleset_draft_from_content(actor=actor, content=content, note=note)
    ruleset_submit(actor=actor, version=draft, note=note)
    # An amount that differs from its quote is acknowledged by the repository's review of fixtures/clauses.yaml
    # (tests/unit/test_static_checks.py keeps the shipped amounts equal to their quotes).
    acknowledgements = {f.clause: FIXTURES_ACKNOWLEDGEMENT for f in amounts_to_acknowledge(draft)}
    return ruleset_publish(actor=actor, version=draft, note=note, acknowledgements=acknowledgements)


def load_cases(report: LoadReport, root: Path) -> None:
    """The case library from fixtures/cases/*.yaml; cases an administrator added by hand are left alone."""
    folder = root / "cases"
    if not folder.is_dir():
        return
    clauses = {c.code: c for c in Clause.objects.all()}
    seen = set()
    for path in sorted(folder.glob("*.yaml")):
        for row in read_yaml(path)["cases"]:
            strict_keys(row, CASE_KEYS, f"{path.name}: {row.get('name')}")
            if row["clause"] not in clauses:
                raise FixtureError(f"{path.name}: {row['name']}: unknown clause {row['clause']}")
            if row["name"] in seen:
                raise FixtureError(f"{path.name}: case name {row['name']!r} appears twice")
            seen.add(row["name"])
            row_hash = content_checksum(row)
            existing = GoldenCase.objects.filter(name=row["name"]).first()
            if existing is not None and existing.fixture_hash == row_hash:
                continue  # this row has not changed since it was loaded: keep any administrator's edit
            upsert(report, GoldenCase, {"name": row["name"]}, {
                "clause": clauses[row["clause"]], "as_of": as_date(row["as_of"]), "facts": row["facts"],
                "expected": row["expected"], "amount_yuan": row.get("amount_yuan"), "unmet": row.get("unmet") or [],
                "source": path.name,
                "fixture_hash": row_hash,
            })
    stale = GoldenCase.objects.exclude(source="").exclude(name__in=seen)
    if stale.exists():
        report.updated["GoldenCase (removed)"] = stale.count()
        stale.delete()


def load_rules(report: LoadReport, root: Path, context: dict) -> None:
    """Publish the fixtures' rules when the fixtures changed since they were last loaded, never otherwise:
    re-running load_policies must not undo what administrators published since. If an administrator has
    published since the fixtures were last published, the fixtures' new rules wait in review instead."""
    content = rule_content(context["clauses"], context["vocabulary"])
    last = RuleVersion.objects.filter(source="fixtures").order_by("-number").first()
    if last is not None and content_checksum(version_content(last)) == content_checksum(content):
        report.version = last.number
        return
    last_published = (RuleVersion.objects.filter(source="fixtures", published_at__isnull=False)
                      .order_by("-published_at").values_list("published_at", flat=True).first())
    overtaken = last_published is not None and RuleVersion.objects.filter(
        published_at__gt=last_published).exclude(source="fixtures").exists()
    if overtaken:
        actor = system_actor()
        draft = ruleset_draft_from_content(actor=actor, content=content, note=FIXTURES_NOTE)
        ruleset_submit(actor=actor, version=draft, note=FIXTURES_NOTE)
        report.version = current_version().number
        report.notes.append(f"v{draft.number} holds the changed fixtures and waits for an administrator's review: "
                            "an administrator has published since the fixtures were last loaded.")
        return
    report.version = publish_fixture_content(content).number
    report.new_version = True


def register() -> None:
    from catalogue.loading import register_loader

    register_loader(10, "rules.facts", lambda report, root, context: context.update(vocabulary=load_facts(report, root)))
    register_loader(20, "rules.cases", lambda report, root, context: load_cases(report, root))
    register_loader(30, "rules.rules", load_rules)
