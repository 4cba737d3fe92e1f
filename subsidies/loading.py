"""Loading the five documents, the facts vocabulary and the clause rules from fixtures/.

Idempotent: rows are upserted and compared, and a new rule version is published only
when the fixtures' rule content differs from the current published version.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rules.models import ClauseRule, ClauseRuleBureau, Condition, Fact, RuleVersion
from rules.operators import FactSpec, normalise_condition_value
from rules.selectors import content_checksum

from .models import Article, Bureau, Clause, Document, DocumentIssuer, Measure, MeasureBureau, RoutingRule

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DOCUMENT_CODES = ("RIE", "PIC", "INC", "IIC", "FIM")
RESPONSIBLE_RE = re.compile(r"（责任单位：([^）]+)）")


class FixtureError(ValueError):
    pass


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    version: int | None = None
    new_version: bool = False

    def count(self, model: str, created: bool, changed: bool) -> None:
        if created:
            self.created[model] = self.created.get(model, 0) + 1
        elif changed:
            self.updated[model] = self.updated.get(model, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.new_version)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "rule_version": self.version, "new_version": self.new_version}


def _upsert(report: LoadReport, model, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(model.__name__, True, False)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        report.count(model.__name__, False, True)
    return obj


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _read_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _set_ordered(report: LoadReport, through, owner_field: str, owner, bureaus: list[Bureau]) -> None:
    current = list(through.objects.filter(**{owner_field: owner}).order_by("position").values_list("bureau_id", flat=True))
    wanted = [b.pk for b in bureaus]
    if current != wanted:
        through.objects.filter(**{owner_field: owner}).delete()
        through.objects.bulk_create(
            [through(**{owner_field: owner}, bureau_id=pk, position=i) for i, pk in enumerate(wanted)]
        )
        report.count(through.__name__, not current, bool(current))


def load_bureaus(report: LoadReport, root: Path) -> dict[str, Bureau]:
    out = {}
    for row in _read_yaml(root / "bureaus.yaml"):
        out[row["short_name_zh"]] = _upsert(
            report,
            Bureau,
            {"short_name_zh": row["short_name_zh"]},
            {
                "full_name_zh": row["full_name_zh"],
                "name_en": row["name_en"],
                "level": row.get("level", Bureau.Level.CITY),
                "district": row.get("district", ""),
            },
        )
    return out


def _bureau(bureaus: dict[str, Bureau], name: str, where: str) -> Bureau:
    try:
        return bureaus[name]
    except KeyError:
        raise FixtureError(f"{where}: unknown bureau {name!r} (add it to bureaus.yaml)") from None


def load_documents(report: LoadReport, root: Path, bureaus: dict[str, Bureau]) -> dict[str, Document]:
    out = {}
    for code in DOCUMENT_CODES:
        meta = _read_yaml(root / "documents" / f"{code}.yaml")
        full_text = (root / "documents" / f"{code}.txt").read_text(encoding="utf-8")
        doc = _upsert(
            report,
            Document,
            {"code": code},
            {
                "title_zh": meta["title_zh"],
                "title_en": meta["title_en"],
                "doc_number": meta.get("doc_number") or "",
                "dated": _date(meta["dated"]),
                "published_on": _date(meta["published_on"]),
                "published_on_estimated": bool(meta.get("published_on_estimated")),
                "effective_from": _date(meta["effective_from"]),
                "effective_to": _date(meta.get("effective_to")),
                "summary_zh": meta.get("summary_zh", ""),
                "summary_en": meta.get("summary_en", ""),
                "source_file": meta.get("source_file", ""),
                "full_text": full_text,
            },
        )
        _set_ordered(report, DocumentIssuer, "document", doc, [_bureau(bureaus, n, f"{code} issuers") for n in meta["issuers"]])
        for position, a in enumerate(meta["articles"]):
            if a["text"] not in full_text:
                raise FixtureError(f"{code} article {a['key']}: text is not an exact passage of the document")
            article = _upsert(
                report,
                Article,
                {"document": doc, "key": str(a["key"])},
                {
                    "position": position,
                    "number_zh": a.get("number_zh") or "",
                    "heading_zh": a.get("heading_zh") or "",
                    "heading_en": a.get("heading_en") or "",
                    "text": a["text"],
                },
            )
            if code == "FIM" and str(a["key"]).isdigit():
                load_measure(report, doc, article, bureaus)
        out[code] = doc
    return out


def load_measure(report: LoadReport, doc: Document, article: Article, bureaus: dict[str, Bureau]) -> Measure:
    """A FIM measure's 责任单位 are read from its own text, in printed order (the first leads)."""
    found = RESPONSIBLE_RE.search(article.text)
    if not found:
        raise FixtureError(f"FIM measure {article.key}: no （责任单位：…） in its text")
    names = [n.strip() for n in found.group(1).split("、")]
    measure = _upsert(
        report,
        Measure,
        {"document": doc, "number": int(article.key)},
        {"article": article, "title_zh": article.heading_zh, "title_en": article.heading_en},
    )
    _set_ordered(report, MeasureBureau, "measure", measure, [_bureau(bureaus, n, f"FIM-{article.key}") for n in names])
    return measure


def load_facts(report: LoadReport, root: Path) -> dict[str, FactSpec]:
    specs = {}
    for position, row in enumerate(_read_yaml(root / "facts.yaml")):
        _strict_keys(row, FACT_KEYS, f"fact {row.get('code')}")
        choices = row.get("choices") or []
        for c in choices:
            _strict_keys(c, {"value", "zh", "en"}, f"fact {row['code']} choice")
            if not re.fullmatch(r"[a-z0-9_]+", c["value"]):
                raise FixtureError(f"fact {row['code']}: choice value {c['value']!r} must be lower-case ASCII")
        fact = _upsert(
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


CONDITION_KEYS = {"fact", "op", "value", "zh", "en"}
FACT_KEYS = {"code", "section", "type", "label_zh", "label_en", "help_zh", "help_en", "choices", "min_value", "max_value"}
CLAUSE_KEYS = {"code", "article", "kind", "title_zh", "title_en", "quote", "amount_yuan", "amount_kind", "achievement",
               "bureaus", "effective_from", "effective_to", "conditions"}


def _strict_keys(row: dict, allowed: set, where: str) -> None:
    """Refuse unknown keys: in YAML flow style an unquoted comma silently splits a value into a new key."""
    unknown = set(row) - allowed
    if unknown:
        raise FixtureError(f"{where}: unknown keys {sorted(unknown)} (an unquoted comma in a value?)")


def _condition_rows(code: str, conditions: list, vocabulary: dict[str, FactSpec]) -> list[dict]:
    rows = []
    for group, item in enumerate(conditions):
        alternatives = item["any"] if isinstance(item, dict) and "any" in item else [item]
        for position, c in enumerate(alternatives):
            _strict_keys(c, CONDITION_KEYS, f"{code} condition {group}.{position}")
            spec = vocabulary.get(c["fact"])
            if spec is None:
                raise FixtureError(f"{code}: unknown fact {c['fact']!r}")
            try:
                normalise_condition_value(spec, c["op"], c.get("value"))
            except Exception as exc:
                raise FixtureError(f"{code}: condition on {c['fact']}: {exc}") from exc
            rows.append(
                {"group": group, "position": position, "fact": c["fact"], "operator": c["op"],
                 "value": c.get("value"), "message_zh": c["zh"], "message_en": c["en"]}
            )
    return rows


def load_clauses(report: LoadReport, root: Path, docs: dict[str, Document], bureaus: dict[str, Bureau],
                 vocabulary: dict[str, FactSpec]) -> list[dict]:
    data = _read_yaml(root / "clauses.yaml")
    content = []
    for position, row in enumerate(data["clauses"]):
        code = row["code"]
        _strict_keys(row, CLAUSE_KEYS, code)
        doc_code, article_key = row["article"].split("/")
        doc = docs[doc_code]
        article = Article.objects.get(document=doc, key=article_key)
        if row["quote"] not in article.text:
            raise FixtureError(f"{code}: quote is not an exact passage of {row['article']}")
        measure = getattr(article, "measure", None) if doc_code == "FIM" else None
        clause = _upsert(
            report,
            Clause,
            {"code": code},
            {
                "document": doc,
                "article": article,
                "measure": measure,
                "position": position,
                "kind": row["kind"],
                "title_zh": row["title_zh"],
                "title_en": row["title_en"],
                "quote": row["quote"],
                "achievement": row.get("achievement") or "",
            },
        )
        if row.get("bureaus"):
            names = row["bureaus"]
        elif measure is not None:
            names = [b.short_name_zh for b in measure.bureaus.order_by("measurebureau__position")]
        else:
            raise FixtureError(f"{code}: no bureaus and no FIM measure to take them from")
        for n in names:
            _bureau(bureaus, n, code)
        content.append(
            {
                "clause": clause.code,
                "title_zh": clause.title_zh,
                "title_en": clause.title_en,
                "quote": clause.quote,
                "amount_yuan": row.get("amount_yuan"),
                "amount_kind": row["amount_kind"],
                "effective_from": str(_date(row.get("effective_from")) or doc.effective_from),
                "effective_to": str(_date(row["effective_to"])) if row.get("effective_to") else (
                    str(doc.effective_to) if doc.effective_to else None),
                "bureaus": names,
                "conditions": _condition_rows(code, row.get("conditions") or [], vocabulary),
            }
        )
    return content


def publish_content(content: list[dict], *, note: str, actor=None) -> RuleVersion:
    """Write `content` as a new published rule version (used by the loader and by tests)."""
    checksum = content_checksum(content)
    number = (RuleVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    now = timezone.now()
    version = RuleVersion.objects.create(
        number=number, status=RuleVersion.Status.PUBLISHED, note=note, checksum=checksum, source="fixtures",
        created_by=actor, published_at=now, published_by=actor,
        based_on=RuleVersion.objects.filter(status=RuleVersion.Status.PUBLISHED).order_by("-published_at").first(),
    )
    bureaus = {b.short_name_zh: b for b in Bureau.objects.all()}
    clauses = {c.code: c for c in Clause.objects.all()}
    for item in content:
        rule = ClauseRule.objects.create(
            version=version, clause=clauses[item["clause"]], amount_yuan=item["amount_yuan"],
            amount_kind=item["amount_kind"], effective_from=_date(item["effective_from"]),
            effective_to=_date(item["effective_to"]), lead_bureau=bureaus[item["bureaus"][0]],
        )
        ClauseRuleBureau.objects.bulk_create(
            [ClauseRuleBureau(clause_rule=rule, bureau=bureaus[n], position=i) for i, n in enumerate(item["bureaus"])]
        )
        Condition.objects.bulk_create(
            [Condition(clause_rule=rule, group=c["group"], position=c["position"], fact_id=c["fact"],
                       operator=c["operator"], value=c["value"], message_zh=c["message_zh"],
                       message_en=c["message_en"]) for c in item["conditions"]]
        )
    return version


def load_routing(report: LoadReport, root: Path, bureaus: dict[str, Bureau]) -> None:
    """Default routing rows, created only where none exists (administrators own them afterwards)."""
    path = root / "routing.yaml"
    if not path.exists():
        return
    for row in _read_yaml(path):
        clause = Clause.objects.get(code=row["clause"])
        _, created = RoutingRule.objects.get_or_create(
            clause=clause,
            defaults={"bureau": _bureau(bureaus, row["bureau"], f"routing {row['clause']}"),
                      "two_stage": bool(row.get("two_stage")), "note": row.get("note", "")},
        )
        report.count("RoutingRule", created, False)


CASE_KEYS = {"name", "clause", "as_of", "facts", "expected", "amount_yuan", "unmet"}


def load_cases(report: LoadReport, root: Path) -> None:
    """The case library from fixtures/cases/*.yaml; cases an administrator added by hand are left alone."""
    from rules.models import GoldenCase

    folder = root / "cases"
    if not folder.is_dir():
        return
    clauses = {c.code: c for c in Clause.objects.all()}
    seen = set()
    for path in sorted(folder.glob("*.yaml")):
        for row in _read_yaml(path)["cases"]:
            _strict_keys(row, CASE_KEYS, f"{path.name}: {row.get('name')}")
            if row["clause"] not in clauses:
                raise FixtureError(f"{path.name}: {row['name']}: unknown clause {row['clause']}")
            if row["name"] in seen:
                raise FixtureError(f"{path.name}: case name {row['name']!r} appears twice")
            seen.add(row["name"])
            row_hash = content_checksum(row)
            existing = GoldenCase.objects.filter(name=row["name"]).first()
            if existing is not None and existing.fixture_hash == row_hash:
                continue  # this row has not changed since it was loaded: keep any administrator's edit
            _upsert(report, GoldenCase, {"name": row["name"]}, {
                "clause": clauses[row["clause"]], "as_of": _date(row["as_of"]), "facts": row["facts"],
                "expected": row["expected"], "amount_yuan": row.get("amount_yuan"), "source": path.name,
                "fixture_hash": row_hash,
            })
    stale = GoldenCase.objects.exclude(source="").exclude(name__in=seen)
    if stale.exists():
        report.updated["GoldenCase (removed)"] = stale.count()
        stale.delete()


def load_carrier_data(report: LoadReport) -> None:
    """附件2's indicators and the PIC-3 / RIE targets (carriers.loading), counted in this report."""
    from carriers.loading import carriers_load

    for name, part in carriers_load().items():
        if part.get("created"):
            report.created[f"carriers.{name}"] = part["created"]
        if part.get("updated"):
            report.updated[f"carriers.{name}"] = part["updated"]


def policies_load(*, root: Path = FIXTURES, actor=None) -> LoadReport:
    report = LoadReport()
    with transaction.atomic():
        bureaus = load_bureaus(report, root)
        docs = load_documents(report, root, bureaus)
        vocabulary = load_facts(report, root)
        content = load_clauses(report, root, docs, bureaus, vocabulary)
        load_routing(report, root, bureaus)
        load_cases(report, root)
        load_carrier_data(report)
        checksum = content_checksum(content)
        # Fixtures apply when the fixtures changed, not whenever the current version differs from them:
        # re-running load_policies must never undo what administrators published since.
        loaded = RuleVersion.objects.filter(source="fixtures").order_by("-number").first()
        if loaded is None or loaded.checksum != checksum:
            loaded = publish_content(content, note="Loaded from fixtures/ by load_policies", actor=actor)
            report.new_version = True
        report.version = loaded.number
    return report
