"""The rule data says exactly what the five documents say: amounts, bureaus, passages, windows and Annex 2.

Everything is read back from the original texts in fixtures/documents/*.txt, not from the loader's
own parsing, so a fixture that drifts from the text fails here.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from catalogue.models import Article, Clause, Document, Measure
from rules.operators import date_to_days

DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"
CODES = ("RIE", "PIC", "INC", "IIC", "FIM")
MONETARY = ("cap", "fixed", "equity")
WAN = 10_000

# 分别给予最高60万元、30万元: 最高 governs every sum of the list, in the order of the things named before it
RESPECTIVELY_RE = re.compile(r"分别给予(最高)?((?:\d+万元、)+\d+万元)")
AMOUNT_RE = re.compile(r"(最高)?(\d+)万元")
RESPONSIBLE_RE = re.compile(r"(?m)^(?:\[bookmark: _GoBack\])?(\d{1,2})\.[^\n]*（责任单位：([^）]+)）$")


def text_of(code: str) -> str:
    return (DOCUMENTS / f"{code}.txt").read_text(encoding="utf-8")


def meta_of(code: str) -> dict:
    return yaml.safe_load((DOCUMENTS / f"{code}.yaml").read_text(encoding="utf-8"))


def amounts_in(passage: str) -> list[tuple[int, bool]]:
    """Every sum a passage names, in printed order, as (yuan, capped by 最高)."""
    found = []
    rest = passage
    for m in RESPECTIVELY_RE.finditer(passage):
        capped = bool(m.group(1))
        found += [(int(n) * WAN, capped) for n in re.findall(r"(\d+)万元", m.group(2))]
        rest = rest.replace(m.group(0), "")
    found += [(int(n) * WAN, bool(cap)) for cap, n in AMOUNT_RE.findall(rest)]
    return found


def responsible_units() -> dict[int, list[str]]:
    return {int(n): [u.strip() for u in units.split("、")] for n, units in RESPONSIBLE_RE.findall(text_of("FIM"))}


def measure_of(code: str) -> int:
    return int(code.split("-")[1].split(".")[0])


# ---------------------------------------------------------------- amounts


def test_the_amount_parser_reads_the_text_forms():
    assert amounts_in("给予最高3000万元支持") == [(30_000_000, True)]
    assert amounts_in("分别给予最高500万元、2000万元支持") == [(5_000_000, True), (20_000_000, True)]
    assert amounts_in("分别给予50万元、100万元支持") == [(500_000, False), (1_000_000, False)]
    assert amounts_in("最高500万元建设支持、最高200万元运营支持") == [(5_000_000, True), (2_000_000, True)]


def test_every_monetary_clause_quotes_its_amount_as_the_text_writes_it(book):
    checked = 0
    for clause in book.clauses:
        if clause.amount_kind not in MONETARY:
            continue
        amounts = amounts_in(clause.quote)
        siblings = [c.code for c in sorted(book.clauses, key=lambda c: c.position) if c.quote == clause.quote]
        capped = clause.amount_kind in ("cap", "equity")

        assert amounts, clause.code
        if len(amounts) == 1:
            assert amounts == [(clause.amount_yuan, capped)], clause.code
        else:  # one quote naming several sums (分别): the clause takes the sum in its own position
            assert len(amounts) == len(siblings), clause.code
            assert amounts[siblings.index(clause.code)] == (clause.amount_yuan, capped), clause.code
        if clause.amount_kind == "equity":
            assert f"最高{clause.amount_yuan // WAN}万元股权投资" in clause.quote
        checked += 1

    assert checked == 27


@pytest.mark.parametrize(
    "code, written",
    [
        ("FIM-1.1", "最高3000万元"),
        ("FIM-2.2", "分别给予最高500万元、2000万元"),
        ("FIM-3.2", "最高200万元运营支持"),
        ("FIM-5.4", "最高200万元股权投资"),
        ("FIM-6.1", "分别给予50万元、100万元"),
        ("FIM-10.2", "给予1000万元奖励"),
        ("FIM-12.3", "分别给予最高60万元、30万元"),
    ],
)
def test_notable_amounts_appear_verbatim(book, code, written):
    assert written in book.clause(code).quote


def test_fixed_sums_are_never_preceded_by_zuigao(book):
    for clause in book.clauses:
        if clause.amount_kind == "fixed":
            assert not any(capped for _, capped in amounts_in(clause.quote)), clause.code
            assert re.search(rf"给予(?:\d+万元、)*{clause.amount_yuan // WAN}万元", clause.quote), clause.code


def test_clauses_without_a_sum_quote_no_sum(book):
    for clause in book.clauses:
        if clause.amount_kind not in MONETARY:
            assert clause.amount_yuan is None, clause.code
            assert amounts_in(clause.quote) == [], clause.code


def test_every_sum_a_fim_measure_names_belongs_to_one_of_its_clauses(book):
    units = responsible_units()
    for number in units:
        article = Article.objects.get(document__code="FIM", key=str(number))
        named = Counter(yuan for yuan, _ in amounts_in(article.text))
        clauses = [c for c in book.clauses if c.document == "FIM" and measure_of(c.code) == number]

        held = Counter(c.amount_yuan for c in clauses if c.amount_kind in MONETARY)

        assert named == held, number


# ---------------------------------------------------------------- bureaus


def test_the_fim_text_names_the_responsible_units_of_all_fourteen_measures():
    units = responsible_units()

    assert sorted(units) == list(range(1, 15))
    assert units[1] == ["市科技局", "市经济信息委"]
    assert units[13] == ["市委金融办", "市财政局", "市国资委", "人行重庆市分行"]


def test_fim_clauses_have_their_measures_responsible_units_in_printed_order_lead_first(book):
    units = responsible_units()
    for clause in book.clauses:
        if clause.document != "FIM":
            continue

        assert list(clause.bureaus) == units[measure_of(clause.code)], clause.code
        assert clause.lead_bureau == clause.bureaus[0], clause.code


def test_fim_measures_in_the_catalogue_list_their_responsible_units_in_printed_order(db):
    units = responsible_units()
    for measure in Measure.objects.filter(document__code="FIM"):
        names = [b.short_name_zh for b in measure.bureaus.order_by("measurebureau__position")]

        assert names == units[measure.number], measure.number


def test_other_documents_clauses_go_to_their_issuers(book):
    for clause in book.clauses:
        if clause.document == "FIM":
            continue

        assert list(clause.bureaus) == meta_of(clause.document)["issuers"], clause.code
        assert clause.lead_bureau == clause.bureaus[0]


# ---------------------------------------------------------------- passages


@pytest.mark.parametrize("code", CODES)
def test_every_article_is_an_exact_passage_of_its_document(db, code):
    text = text_of(code)
    document = Document.objects.get(code=code)
    articles = list(document.articles.all())

    assert document.full_text == text
    assert [a.key for a in sorted(articles, key=lambda a: a.position)] == [str(a["key"]) for a in meta_of(code)["articles"]]
    for article in articles:
        assert article.text in text, article.key


def test_every_clause_quote_is_an_exact_passage_of_its_article_and_document(db):
    for clause in Clause.objects.select_related("article", "document"):
        assert clause.quote in clause.article.text, clause.code
        assert clause.quote in text_of(clause.document.code), clause.code
        assert clause.article.document_id == clause.document_id, clause.code


def test_fim_clauses_cite_the_article_of_their_measure(db):
    for clause in Clause.objects.filter(document__code="FIM").select_related("article", "measure"):
        assert clause.article.key == str(measure_of(clause.code)), clause.code
        assert clause.measure.number == measure_of(clause.code), clause.code


# ---------------------------------------------------------------- validity windows


def test_fim_runs_from_its_estimated_publication_until_the_end_of_2027(db):
    fim = Document.objects.get(code="FIM")

    assert "本政策措施实施期限自公布之日起至2027年12月31日" in text_of("FIM")
    assert "渝经信规范〔2026〕1号" in text_of("FIM")
    assert fim.published_on_estimated is True
    assert fim.published_on.year == 2026
    assert fim.effective_from == fim.published_on == dt.date(2026, 1, 1)
    assert fim.effective_to == dt.date(2027, 12, 31) + dt.timedelta(days=1) == dt.date(2028, 1, 1)


def test_iic_takes_effect_thirty_days_after_publication(db):
    iic = Document.objects.get(code="IIC")

    assert "第二十条 本工作指引自发布之日起 30 日以后施行。" in text_of("IIC")
    assert "2024年5月30日" in text_of("IIC")
    assert iic.published_on == dt.date(2024, 5, 30)
    assert iic.effective_from == iic.published_on + dt.timedelta(days=30) == dt.date(2024, 6, 29)
    assert iic.effective_to is None


def test_pic_runs_until_the_end_of_2027(db):
    pic = Document.objects.get(code="PIC")

    assert "重庆市产业创新综合体建设方案（2024—2027年）" in pic.title_zh
    assert "2024年9月25日" in text_of("PIC")
    assert pic.effective_from == pic.dated == dt.date(2024, 9, 25)
    assert pic.effective_to == dt.date(2028, 1, 1)


@pytest.mark.parametrize(
    "code, printed, dated",
    [("RIE", "2025年7月17日", dt.date(2025, 7, 17)), ("INC", "[ 成文日期 ]\n2025-08-18", dt.date(2025, 8, 18))],
)
def test_open_ended_documents_carry_their_printed_date(db, code, printed, dated):
    document = Document.objects.get(code=code)

    assert printed in text_of(code)
    assert document.dated == dated
    assert document.effective_to is None


def test_every_clause_runs_for_its_documents_window(book, db):
    windows = {d.code: d for d in Document.objects.all()}
    for clause in book.clauses:
        document = windows[clause.document]

        assert clause.start == clause.document_start == date_to_days(document.effective_from), clause.code
        expected_end = date_to_days(document.effective_to) if document.effective_to else None
        assert clause.end == expected_end, clause.code


# ---------------------------------------------------------------- IIC Annex 2


def annex_2() -> dict:
    """The indicator table of IIC Annex 2: first-level and second-level headings with their points, and rows."""
    text = Article.objects.get(document__code="IIC", key="A2").text
    first = second = None
    heads: dict[str, int] = {}
    parents: dict[str, str] = {}
    rows: list[tuple[str, str, int]] = []
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) != 4 or cols[0] == "一级指标":
            continue
        if cols[0]:
            first = cols[0]
            heads[first] = int(re.search(r"\((\d+)分\)", first).group(1))
        if cols[1]:
            second = cols[1]
            heads[second] = int(re.search(r"\(≤?(\d+)分\)", second).group(1))
            parents[second] = first
        rows.append((second, cols[2], int(cols[3])))
    return {"heads": heads, "parents": parents, "rows": rows}


def test_iic_annex_2_has_27_weighted_indicators_summing_to_100_and_two_bonus_items(db):
    table = annex_2()
    indicators = [r for r in table["rows"] if not r[0].startswith("加分项")]
    bonus = [r for r in table["rows"] if r[0].startswith("加分项")]

    assert len(indicators) == 27
    assert sum(weight for _, _, weight in indicators) == 100
    assert [(name, weight) for _, name, weight in bonus] == [("设立院士工作站", 5), ("获国家自然科学、技术发明、科技进步奖项", 5)]
    assert sum(weight for _, _, weight in bonus) <= table["heads"]["加分项(≤10分)"] == 10


def test_iic_annex_2_headings_add_up(db):
    table = annex_2()
    heads, parents = table["heads"], table["parents"]
    seconds = [s for s in parents if not s.startswith("加分项")]
    firsts = sorted(set(parents[s] for s in seconds), key=list(heads).index)

    assert len(firsts) == 3
    assert len(seconds) == 8
    assert sum(heads[f] for f in firsts) == 100
    for second in seconds:
        assert sum(w for s, _, w in table["rows"] if s == second) == heads[second], second
    for first in firsts:
        assert sum(heads[s] for s in seconds if parents[s] == first) == heads[first], first
