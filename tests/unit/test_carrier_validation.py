"""What the registers require of an entry: the IIC name (第十二条), PIC-2's governance, IIC 第十一条's requirements."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from carriers.models import (
    IIC_FUNCTIONS,
    IIC_MECHANISMS,
    IndustryInnovationCentre,
    InnovationComplex,
    missing_iic_requirements,
    validate_iic_name,
)


@pytest.mark.parametrize("name", ["重庆市低空经济产业创新中心", "重庆市具身智能产业创新中心", "重庆市卫星互联网产业创新中心"])
def test_names_reading_chongqing_xx_industry_innovation_centre_are_accepted(name):
    validate_iic_name(name)


@pytest.mark.parametrize("name", [
    "",
    "重庆市产业创新中心",  # no ×× at all
    "低空经济产业创新中心",  # not 重庆市
    "重庆低空经济产业创新中心",  # 重庆, not 重庆市
    "重庆市低空经济创新中心",  # not 产业创新中心
    "重庆市低空经济产业创新中心（筹）",
    "重庆市 低空经济产业创新中心",
    " 重庆市低空经济产业创新中心",
    "重庆市低空经济产业创新中心\n",
    "四川省低空经济产业创新中心",
])
def test_other_names_are_refused(name):
    with pytest.raises(ValidationError) as err:
        validate_iic_name(name)

    assert err.value.code == "iic_name"


def test_a_centre_cleans_its_name():
    centre = IndustryInnovationCentre(name="低空经济产业创新中心", lead_unit="某公司", has_leading_talent=True,
                                      has_rd_facilities=True, functions=list(IIC_FUNCTIONS), mechanisms=list(IIC_MECHANISMS))

    with pytest.raises(ValidationError):
        centre.clean()


def governed(**kwargs):
    values = {"name": "重庆某产业创新综合体", "kind": "enterprise_led", "lead_unit": "某公司", "has_council": True,
              "has_expert_committee": True, "has_secretariat": True, "charter_signed_on": dt.date(2026, 1, 1)} | kwargs
    return InnovationComplex(**values)


def test_a_complex_with_council_committee_secretariat_and_a_signed_charter_is_governed():
    complex_ = governed()

    complex_.clean()

    assert complex_.governance_complete
    assert complex_.missing_governance() == []


@pytest.mark.parametrize(("change", "missing"), [
    ({"has_council": False}, ["council"]),
    ({"has_expert_committee": False}, ["expert_committee"]),
    ({"has_secretariat": False}, ["secretariat"]),
    ({"charter_signed_on": None}, ["binding_charter"]),
    ({"has_council": False, "charter_signed_on": None}, ["council", "binding_charter"]),
])
def test_a_complex_missing_any_of_pic2s_four_is_refused_naming_it(change, missing):
    complex_ = governed(**change)

    with pytest.raises(ValidationError) as err:
        complex_.clean()

    assert not complex_.governance_complete
    assert complex_.missing_governance() == missing
    assert err.value.code == "pic_governance"
    assert all(m in err.value.messages[0] for m in missing)


def test_iic11_requires_talent_facilities_all_four_functions_and_all_four_mechanisms():
    complete = {"functions": list(IIC_FUNCTIONS), "mechanisms": list(IIC_MECHANISMS),
                "has_leading_talent": True, "has_rd_facilities": True}

    assert missing_iic_requirements(**complete) == []
    assert missing_iic_requirements(**complete | {"functions": ["rd_product"]}) == [
        "iic_functions.commercialisation", "iic_functions.venture_incubation", "iic_functions.ip_operation"]
    assert missing_iic_requirements(**complete | {"has_rd_facilities": False, "mechanisms": []}) == [
        "iic_has_rd_facilities", *[f"iic_mechanisms.{m}" for m in IIC_MECHANISMS]]
