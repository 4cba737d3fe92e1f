"""Every condition rests on words of the text, or on an interpretation docs/policy-reading.md explains.

The second reading of the five documents (issue 9): conditions name their words (`src`, verbatim in their
document), the interpretations they follow are documented with both readings, the document's table is
generated from fixtures/clauses.yaml and kept in sync, and what the readings decided holds in the data.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
import uuid
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from catalogue.loading import FIXTURES, FixtureError, policies_load
from catalogue.models import Document
from rules.operators import date_to_days
from rules.patterns import IIC_NAME_PATTERN, iic_name_ok, like_regex
from rules.policy_reading import INTERPRETATION_ID, generated_part, interpretation_ids, load, render_table
from rules.rulebook import Cond, RuleBook
from rules.static_checks import static_checks, unsourced_conditions

ROOT = Path(settings.BASE_DIR)
CLAUSES = ROOT / "fixtures" / "clauses.yaml"
READING = ROOT / "docs" / "policy-reading.md"
MONETARY = {"cap", "fixed", "equity", "unspecified"}


@pytest.fixture
def texts(db):
    return dict(Document.objects.values_list("code", "full_text"))


def reading_sections() -> dict[str, str]:
    """### I-n sections of docs/policy-reading.md, by id."""
    markdown = READING.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^### (I-\d+)\b", markdown)
    return {parts[i]: parts[i + 1].split("\n## ")[0] for i in range(1, len(parts) - 1, 2)}


# ---------------------------------------------------------------- words


def test_every_condition_of_every_clause_names_words_found_verbatim_in_its_document_or_an_interpretation(book, texts):
    missing = [f for clause in book.evaluated_clauses for f in unsourced_conditions(clause, texts)]

    assert missing == [], "\n".join(f.message_en for f in missing)
    assert sum(len(g) for c in book.evaluated_clauses for g in c.groups) > 250


def test_most_conditions_rest_on_words_not_only_on_interpretation(book):
    conditions = [c for clause in book.evaluated_clauses for g in clause.groups for c in g]
    with_words = [c for c in conditions if c.source_quote]

    # only the shared registered-in-Chongqing condition (I-1) has no words of its own
    assert {c.fact for c in conditions if not c.source_quote} == {"registered_in_chongqing"}
    assert len(with_words) > 200


def condition(**kw) -> Cond:
    return Cond(**{"fact": "org_type", "operator": "eq", "value": "enterprise", "message_zh": "企业", "message_en": "x", **kw})


@pytest.mark.parametrize("cond, flagged", [
    (condition(), True),  # no words, no interpretation
    (condition(source_quote="对I类创新药给予1000万元奖励"), False),
    (condition(source_quote="对I类创新药给予2000万元奖励"), True),  # not what the text says
    (condition(source_quote="评估结果作为政策支持的重要依据"), True),  # RIE's words, not FIM's
    (condition(source_document="RIE", source_quote="评估结果作为政策支持的重要依据"), False),
    (condition(interpretation="I-7: the holder applies"), False),
    (condition(interpretation="because"), True),  # a reason that names no documented interpretation
])
def test_the_check_fails_a_condition_without_verbatim_words_unless_it_is_a_documented_interpretation(book, texts,
                                                                                                    cond, flagged):
    clause = dataclasses.replace(book.clause("FIM-10.2"), groups=((cond,),))

    findings = unsourced_conditions(clause, texts)

    assert bool(findings) == flagged
    if flagged:
        assert findings[0].code == "condition_without_words" and findings[0].severity == "warning"


def test_static_checks_report_conditions_without_words_when_given_the_texts(book, texts):
    clause = dataclasses.replace(book.clause("FIM-10.2"), groups=((condition(),),))
    variant = RuleBook(version=book.version, clauses=(clause,), vocabulary=book.vocabulary, checksum=uuid.uuid4().hex)

    assert [f.code for f in static_checks(variant, texts=texts) if f.severity == "warning"] == ["condition_without_words"]
    assert [f for f in static_checks(book, texts=texts) if f.code == "condition_without_words"] == []


def test_the_prior_support_facts_are_not_reported_unused(book):
    unused = {f.fact for f in static_checks(book) if f.code == "unused_fact"}

    assert not unused & {"prior_support_same_item", "prior_support_policy", "prior_support_year",
                         "prior_support_amount_yuan"}


def test_loading_refuses_words_that_are_not_in_the_text(db, tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    path = tmp_path / "fixtures" / "clauses.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("src: 对I类创新药}", "src: 对I类创新药品}", 1), encoding="utf-8")

    with pytest.raises(FixtureError, match="not an exact passage of FIM"):
        policies_load(root=tmp_path / "fixtures")


# ---------------------------------------------------------------- interpretations documented


def test_every_interpretation_a_condition_follows_is_explained_in_policy_reading_with_both_readings():
    used = interpretation_ids(load(CLAUSES)) | {"I-5", "I-13"}  # the two rules.adjustments applies as well
    sections = reading_sections()

    assert used <= set(sections), f"undocumented: {sorted(used - set(sections))}"
    for reading_id in used:
        section = sections[reading_id]
        assert "Words:" in section, reading_id
        assert "**Chosen reading.**" in section and "**Other reading.**" in section, reading_id


def test_every_interpretation_is_written_as_an_id_and_a_reason():
    for clause in load(CLAUSES)["clauses"]:
        for item in clause.get("conditions") or []:
            for c in (item["any"] if "any" in item else [item]):
                if "interpretation" in c:
                    assert INTERPRETATION_ID.match(c["interpretation"]), (clause["code"], c["fact"])
                    assert len(c["interpretation"]) > 20, (clause["code"], c["fact"])


def test_the_adjustments_cite_documented_interpretations():
    from rules.adjustments import PRIOR_SUPPORT_REVIEW, UNCERTAIN_START_READING

    readings = [UNCERTAIN_START_READING] + [r for _zh, _en, r in PRIOR_SUPPORT_REVIEW.values() if r]
    assert {INTERPRETATION_ID.match(r).group(1) for r in readings} <= set(reading_sections())


def test_the_table_in_policy_reading_is_in_sync_with_clauses_yaml():
    generated = generated_part(READING.read_text(encoding="utf-8"))

    assert generated, "docs/policy-reading.md has no generated table"
    assert generated == render_table(load(CLAUSES)), "run `manage.py policy_reading`"


def test_the_table_lists_every_condition_with_its_words():
    data = load(CLAUSES)
    table = render_table(data)
    fim_10_2 = next(c for c in data["clauses"] if c["code"] == "FIM-10.2")

    evaluated = [c for c in data["clauses"] if c["kind"] != "framework"]
    rows = sum(len(item["any"]) if "any" in item else 1 for c in evaluated for item in c.get("conditions") or [])
    assert table.count("\n| ") == rows + len(evaluated)  # one header row per clause
    assert "#### FIM-10.2 I类创新药" in table
    assert "`drug_mah eq true`" in table and "**I-7**" in table
    assert "[RIE] “评估结果作为政策支持的重要依据”" in table
    assert len(fim_10_2["conditions"]) == 6


# ---------------------------------------------------------------- what the readings decided


def test_iic_12_holds_every_condition_of_iic_10_and_iic_11(book):
    def tests(code):
        return {(c.fact, c.operator, repr(c.value), re.sub(r"^IIC-1[01]: ", "", c.message_en))
                for g in book.clause(code).groups for c in g}

    assert tests("IIC-10") | tests("IIC-11") <= tests("IIC-12")
    messages = [c.message_zh for g in book.clause("IIC-12").groups for c in g]
    assert "第十条：在行业中具有显著的创新优势和较大的影响力" in messages
    assert "第十一条（二）吸引大批塔基青年科技人才" in messages


def test_the_checker_and_the_register_apply_one_iic_naming_rule(book):
    from carriers.models import validate_iic_name
    from django.core.exceptions import ValidationError

    [pattern] = [c.value for g in book.clause("IIC-12").groups for c in g if c.operator == "like"]
    assert pattern == IIC_NAME_PATTERN
    for name, ok in [("重庆市低空经济产业创新中心", True), ("重庆市　低空经济产业创新中心", False),
                     ("重庆市低空经济 产业创新中心", False), ("重庆市产业创新中心", False),
                     ("重庆市低空经济产业创新中心有限公司", False), ("低空经济产业创新中心", False)]:
        assert iic_name_ok(name) is ok, name
        assert (like_regex(pattern).fullmatch(name) is not None) is ok, name
        if ok:
            validate_iic_name(name)
        else:
            with pytest.raises(ValidationError):
                validate_iic_name(name)


def test_fims_uncertain_first_days_end_where_the_document_says(book, db):
    fim = Document.objects.get(code="FIM")
    latest = yaml.safe_load((FIXTURES / "documents" / "FIM.yaml").read_text(encoding="utf-8"))["published_on_latest"]
    thresholds = {c.value for clause in book.clauses if clause.document == "FIM" for g in clause.groups for c in g
                  if c.operator == "gte" and "实施期限自公布之日起" in c.source_quote}

    assert fim.published_on_estimated and fim.published_on_latest == latest
    assert thresholds == {date_to_days(latest)}
    assert {c.certain_from for c in book.clauses if c.document == "FIM"} == {date_to_days(latest)}
    assert all(c.start_estimated for c in book.clauses if c.document == "FIM")
    assert not any(c.start_estimated for c in book.clauses if c.document != "FIM")


def test_every_monetary_clause_names_the_kind_of_item_it_rewards(book):
    from catalogue.achievements import KINDS

    for clause in book.evaluated_clauses:
        if clause.amount_kind in MONETARY:
            assert clause.achievement_kind in KINDS, clause.code
        else:
            assert clause.achievement_kind == "", clause.code


def test_not_combinable_clauses_name_each_other(book):
    pairs = {(c.code, other) for c in book.clauses for other in c.not_combinable_with}

    assert pairs == {(b, a) for a, b in pairs}
    assert ("FIM-1.1", "FIM-1.2") in pairs and ("FIM-10.1", "FIM-10.2") in pairs
    assert all(a.split("-")[0] == b.split("-")[0] for a, b in pairs)


def test_loading_refuses_a_one_sided_not_combinable_pair(db, tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    path = tmp_path / "fixtures" / "clauses.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(c for c in data["clauses"] if c["code"] == "FIM-1.2")["not_combinable_with"] = ["FIM-10.3"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    with pytest.raises(FixtureError, match="FIM-1.1: not combinable with FIM-1.2"):
        policies_load(root=tmp_path / "fixtures")
