"""Loading the catalogue from fixtures/: bureaus, the five documents with their articles and measures, and clauses.

`policies_load` (manage.py load_policies) loads the catalogue, then runs the loaders the apps above
register in their AppConfig.ready() (the facts vocabulary, the case library and the rules, routing,
carrier data), in one transaction. Idempotent: rows are upserted and compared.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml
from django.conf import settings
from django.db import transaction

from .achievements import KINDS
from .models import Article, Bureau, Clause, Document, DocumentIssuer, Measure, MeasureBureau

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DOCUMENT_CODES = ("RIE", "PIC", "INC", "IIC", "FIM")
RESPONSIBLE_RE = re.compile(r"（责任单位：([^）]+)）")
CLAUSE_KEYS = {"code", "article", "kind", "title_zh", "title_en", "quote", "amount_yuan", "amount_kind", "achievement",
               "achievement_kind", "not_combinable_with", "requires", "bureaus", "effective_from", "effective_to",
               "conditions"}


class FixtureError(ValueError):
    pass


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    version: int | None = None
    new_version: bool = False
    notes: list = field(default_factory=list)

    def count(self, model: str, created: bool, changed: bool) -> None:
        if created:
            self.created[model] = self.created.get(model, 0) + 1
        elif changed:
            self.updated[model] = self.updated.get(model, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.new_version)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "rule_version": self.version, "new_version": self.new_version,
                "notes": self.notes}


def upsert(report: LoadReport, model, lookup: dict, values: dict):
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


def as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def read_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def set_ordered(report: LoadReport, through, owner_field: str, owner, bureaus: list[Bureau]) -> None:
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
    for row in read_yaml(root / "bureaus.yaml"):
        out[row["short_name_zh"]] = upsert(
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


def bureau_named(bureaus: dict[str, Bureau], name: str, where: str) -> Bureau:
    try:
        return bureaus[name]
    except KeyError:
        raise FixtureError(f"{where}: unknown bureau {name!r} (add it to bureaus.yaml)") from None


def load_documents(report: LoadReport, root: Path, bureaus: dict[str, Bureau]) -> dict[str, Document]:
    out = {}
    for code in DOCUMENT_CODES:
        meta = read_yaml(root / "documents" / f"{code}.yaml")
        full_text = (root / "documents" / f"{code}.txt").read_text(encoding="utf-8")
        doc = upsert(
            report,
            Document,
            {"code": code},
            {
                "title_zh": meta["title_zh"],
                "title_en": meta["title_en"],
                "doc_number": meta.get("doc_number") or "",
                "dated": as_date(meta["dated"]),
                "published_on": as_date(meta["published_on"]),
                "published_on_estimated": bool(meta.get("published_on_estimated")),
                "published_on_latest": as_date(meta.get("published_on_latest")),
                "effective_from": as_date(meta["effective_from"]),
                "effective_to": as_date(meta.get("effective_to")),
                "summary_zh": meta.get("summary_zh", ""),
                "summary_en": meta.get("summary_en", ""),
                "source_file": meta.get("source_file", ""),
                "full_text": full_text,
            },
        )
        set_ordered(report, DocumentIssuer, "document", doc, [bureau_named(bureaus, n, f"{code} issuers") for n in meta["issuers"]])
        for position, a in enumerate(meta["articles"]):
            if a["text"] not in full_text:
                raise FixtureError(f"{code} article {a['key']}: text is not an exact passage of the document")
            article = upsert(
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
    measure = upsert(
        report,
        Measure,
        {"document": doc, "number": int(article.key)},
        {"article": article, "title_zh": article.heading_zh, "title_en": article.heading_en},
    )
    set_ordered(report, MeasureBureau, "measure", measure, [bureau_named(bureaus, n, f"FIM-{article.key}") for n in names])
    return measure


def strict_keys(row: dict, allowed: set, where: str) -> None:
    """Refuse unknown keys: in YAML flow style an unquoted comma silently splits a value into a new key."""
    unknown = set(row) - allowed
    if unknown:
        raise FixtureError(f"{where}: unknown keys {sorted(unknown)} (an unquoted comma in a value?)")


@dataclass(frozen=True)
class ClauseRow:
    """A clause of fixtures/clauses.yaml as loaded: the YAML row, its Clause and the bureaus it names (lead first)."""

    row: dict
    clause: Clause
    document: Document
    bureaus: list[str]


def load_clauses(report: LoadReport, root: Path, docs: dict[str, Document], bureaus: dict[str, Bureau]) -> list[ClauseRow]:
    data = read_yaml(root / "clauses.yaml")
    out = []
    for position, row in enumerate(data["clauses"]):
        code = row["code"]
        strict_keys(row, CLAUSE_KEYS, code)
        doc_code, article_key = row["article"].split("/")
        doc = docs[doc_code]
        article = Article.objects.get(document=doc, key=article_key)
        if row["quote"] not in article.text:
            raise FixtureError(f"{code}: quote is not an exact passage of {row['article']}")
        measure = getattr(article, "measure", None) if doc_code == "FIM" else None
        clause = upsert(
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
                "achievement_kind": row.get("achievement_kind") or "",
                "not_combinable_with": list(row.get("not_combinable_with") or []),
            },
        )
        if row.get("bureaus"):
            names = row["bureaus"]
        elif measure is not None:
            names = [b.short_name_zh for b in measure.bureaus.order_by("measurebureau__position")]
        else:
            raise FixtureError(f"{code}: no bureaus and no FIM measure to take them from")
        for n in names:
            bureau_named(bureaus, n, code)
        out.append(ClauseRow(row, clause, doc, names))
    _check_combinations(out)
    return out


def _check_combinations(rows: list[ClauseRow]) -> None:
    """achievement_kind is a known kind; not_combinable_with names clauses of the same document, both ways."""
    by_code = {item.clause.code: item for item in rows}
    for item in rows:
        code, row = item.clause.code, item.row
        if row.get("achievement_kind") and row["achievement_kind"] not in KINDS:
            raise FixtureError(f"{code}: unknown achievement_kind {row['achievement_kind']!r} (catalogue.achievements)")
        for other in row.get("not_combinable_with") or []:
            partner = by_code.get(other)
            if partner is None or partner.document.code != item.document.code or other == code:
                raise FixtureError(f"{code}: not_combinable_with names {other!r}, not another clause of its document")
            if code not in (partner.row.get("not_combinable_with") or []):
                raise FixtureError(f"{code}: not combinable with {other}, but {other} does not say so in return")


# ---------------------------------------------------------------- the loaders of the apps above

Loader = Callable[["LoadReport", Path, dict], None]
_loaders: list[tuple[int, str, Loader]] = []


def register_loader(order: int, name: str, loader: Loader) -> None:
    """Run `loader(report, root, context)` after the catalogue, in `order`; called from an AppConfig.ready().

    `context` holds what earlier loaders loaded: "bureaus", "documents", "clauses" (ClauseRow list) and
    whatever a loader adds for the next (the rules loader adds "vocabulary").
    """
    if any(n == name for _o, n, _l in _loaders):
        return
    _loaders.append((order, name, loader))
    _loaders.sort(key=lambda item: item[0])


def policies_load(*, root: Path = FIXTURES, actor=None) -> LoadReport:
    report = LoadReport()
    with transaction.atomic():
        bureaus = load_bureaus(report, root)
        docs = load_documents(report, root, bureaus)
        context = {"bureaus": bureaus, "documents": docs, "clauses": load_clauses(report, root, docs, bureaus),
                   "actor": actor}
        for _order, _name, loader in _loaders:
            loader(report, root, context)
    return report
