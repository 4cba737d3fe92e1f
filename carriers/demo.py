"""Demo content for `manage.py seed_demo` (registered in CarriersConfig.ready()): one entry in each of the four
registers, so the carriers pages show real rows. Runs once: entries are looked up by name."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from catalogue.models import Bureau

from .models import IncubationCarrier, IndustryInnovationCentre, IndustryResearchInstitute, InnovationComplex
from .models.registers import IIC_FUNCTIONS, IIC_MECHANISMS


@transaction.atomic
def seed(*, users: dict) -> str:
    made = 0
    _, created = IndustryResearchInstitute.objects.get_or_create(name="重庆具身智能产业研究院", defaults={
        "district": "两江新区", "future_industry_field": "embodied_ai", "recognised_on": dt.date(2026, 3, 18),
        "mode": IndustryResearchInstitute.Mode.ENTERPRISE_LED, "functions": ["rd", "transfer", "pilot"]})
    made += created
    _, created = InnovationComplex.objects.get_or_create(name="重庆低空经济产业创新综合体", defaults={
        "district": "渝北区", "future_industry_field": "low_altitude", "recognised_on": dt.date(2026, 4, 2),
        "kind": InnovationComplex.Kind.ENTERPRISE_LED, "lead_unit": "重庆未来智造科技有限公司", "has_council": True,
        "has_expert_committee": True, "has_secretariat": True, "charter_signed_on": dt.date(2026, 1, 15),
        "formed_on": dt.date(2026, 1, 15), "operating_as_entity": True})
    made += created
    _, created = IncubationCarrier.objects.get_or_create(name="重庆量子信息特色孵化器", defaults={
        "district": "渝中区", "future_industry_field": "photonics_quantum", "recognised_on": dt.date(2026, 5, 20),
        "kind": IncubationCarrier.Kind.SPECIALISED, "level": IncubationCarrier.Level.MUNICIPAL})
    made += created
    _, created = IndustryInnovationCentre.objects.get_or_create(name="重庆市合成生物产业创新中心", defaults={
        "district": "九龙坡区", "future_industry_field": "biomanufacturing", "recognised_on": dt.date(2026, 6, 30),
        "lead_unit": "重庆示范大学", "supervising_bureau": Bureau.objects.filter(short_name_zh="市发展改革委").first(),
        "has_leading_talent": True, "has_rd_facilities": True, "functions": list(IIC_FUNCTIONS),
        "mechanisms": list(IIC_MECHANISMS)})
    made += created
    return f"{made} register entries" if made else "already seeded"
