"""IIC-A2 scoring (附件2): totals as the table defines them, refusals naming the indicator, the bonus cap, the ranking."""
from decimal import Decimal
from pathlib import Path

import pytest

from carriers.loading import read_indicators
from carriers.scoring import IndicatorTable, rank, score_sheet
from policy_portal.exceptions import DomainError

IIC_TEXT = (Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "IIC.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def table():
    return IndicatorTable.from_data(read_indicators())


def full_marks(table):
    return {i.key: i.weight for i in table.indicators}


def both_bonuses(table):
    return {i.key: i.weight for i in table.bonus_items}


def test_the_table_is_the_printed_one(table):
    assert [(f.name_zh, f.points) for f in table.first_level] == [("服务和区域发展战略", 30), ("推动产业发展", 30), ("强化自身建设", 40)]
    assert len(table.second_level) == 8
    assert len(table.indicators) == 27
    assert [(b.name_zh, b.weight) for b in table.bonus_items] == [("设立院士工作站", 5), ("获国家自然科学、技术发明、科技进步奖项", 5)]
    assert table.bonus_cap == 10
    assert (table.base_max, table.max_total) == (100, 110)


def test_every_name_and_weight_is_copied_from_the_document(table):
    printed = {tuple(line.split("\t")[2:4]) for line in IIC_TEXT.splitlines() if line.count("\t") == 3}

    for item in (*table.indicators, *table.bonus_items):
        assert (item.name_zh, str(item.weight)) in printed, item.key
    for group in (*table.first_level, *table.second_level):
        assert f"{group.name_zh} ({group.points}分)" in IIC_TEXT


def test_full_marks_with_both_bonuses_make_110(table):
    totals = score_sheet(table, full_marks(table), both_bonuses(table))

    assert totals.base == 100
    assert totals.bonus_total == 10
    assert totals.total == 110


def test_at_full_marks_each_second_level_total_is_its_printed_points(table):
    totals = score_sheet(table, full_marks(table))

    assert [totals.by_second[s.key] for s in table.second_level] == [15, 15, 15, 15, 10, 10, 14, 6]
    assert [totals.by_first[f.key] for f in table.first_level] == [30, 30, 40]
    assert totals.total == 100


def test_totals_add_up_by_level(table):
    scores = {i.key: 0 for i in table.indicators} | {"chain_integration": "4.5", "led_projects": 2, "pilot_line": 5}

    totals = score_sheet(table, scores, {"national_award": 5})

    assert totals.by_second["contribution"] == Decimal("4.5")
    assert totals.by_second["tasks"] == 2
    assert totals.by_first["strategy"] == Decimal("6.5")
    assert totals.by_first["capacity"] == 5
    assert (totals.base, totals.bonus_total, totals.total) == (Decimal("11.5"), 5, Decimal("16.5"))
    assert totals.as_dict()["total"] == 16.5


@pytest.mark.parametrize("key", [i["key"] for f in read_indicators()["first_level"] for s in f["second_level"]
                                 for i in s["indicators"]])
def test_each_indicator_scored_above_its_weight_is_refused_naming_it(table, key):
    item = next(i for i in table.indicators if i.key == key)
    scores = full_marks(table) | {key: item.weight + 1}

    with pytest.raises(DomainError) as err:
        score_sheet(table, scores)

    assert (err.value.code, err.value.field) == ("above_weight", f"scores.{key}")
    assert item.name_zh in err.value.message


def test_a_score_just_above_the_weight_is_refused(table):
    with pytest.raises(DomainError) as err:
        score_sheet(table, full_marks(table) | {"legal_entity": "2.01"})

    assert err.value.field == "scores.legal_entity"


def test_a_missing_negative_or_unknown_indicator_is_refused_naming_it(table):
    scores = full_marks(table)
    del scores["rd_personnel"]
    with pytest.raises(DomainError) as missing:
        score_sheet(table, scores)
    with pytest.raises(DomainError) as negative:
        score_sheet(table, full_marks(table) | {"partners": -1})
    with pytest.raises(DomainError) as unknown:
        score_sheet(table, full_marks(table) | {"charm": 3})
    with pytest.raises(DomainError) as not_a_number:
        score_sheet(table, full_marks(table) | {"partners": True})

    assert (missing.value.code, missing.value.field) == ("required", "scores.rd_personnel")
    assert (negative.value.code, negative.value.field) == ("below_zero", "scores.partners")
    assert (unknown.value.code, unknown.value.field) == ("unknown_indicator", "scores.charm")
    assert (not_a_number.value.code, not_a_number.value.field) == ("invalid_type", "scores.partners")


def test_the_bonus_is_capped_at_ten_even_when_both_items_are_five(table):
    totals = score_sheet(table, full_marks(table), {"academician_workstation": 5, "national_award": 5})

    assert totals.bonus_raw == 10
    assert totals.bonus_total == 10
    assert totals.total == 110


def test_the_cap_binds_whatever_the_items_add_up_to(table):
    from dataclasses import replace

    generous = replace(table, bonus=replace(table.bonus, children=tuple(replace(b, weight=8) for b in table.bonus_items)))

    totals = score_sheet(generous, full_marks(generous), {"academician_workstation": 8, "national_award": 8})

    assert (totals.bonus_raw, totals.bonus_total, totals.total) == (16, 10, 110)


def test_a_single_bonus_item_above_five_is_refused(table):
    with pytest.raises(DomainError) as err:
        score_sheet(table, full_marks(table), {"academician_workstation": 6})

    assert (err.value.code, err.value.field) == ("above_weight", "bonus.academician_workstation")
    assert "设立院士工作站" in err.value.message


def test_bonus_items_are_optional(table):
    totals = score_sheet(table, full_marks(table), {"national_award": ""})

    assert totals.bonus_total == 0


def test_ranking_is_by_total_then_name():
    ranked = rank([("重庆市乙产业创新中心", Decimal("88")), ("重庆市甲产业创新中心", Decimal("95.5")),
                   ("重庆市丙产业创新中心", Decimal("88"))])

    assert [(n, name) for n, (name, _total) in ranked] == [
        (1, "重庆市甲产业创新中心"), (2, "重庆市丙产业创新中心"), (3, "重庆市乙产业创新中心"),
    ]
