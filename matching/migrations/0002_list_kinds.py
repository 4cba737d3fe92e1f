"""The list kinds an administrator starts with, each with its column mapping (changed on the import page)."""
from django.db import migrations

CODE, NAME = "统一社会信用代码", "企业名称"
KINDS = [
    ("single_champion_national", "国家级制造业单项冠军企业名单", "National manufacturing single champions",
     {CODE: "credit_code", NAME: "name", "认定日期": "national_single_champion_recognised_on",
      "认定类型": "national_single_champion_recognition_type", "所属领域": "future_industry_field"}),
    ("single_champion_municipal", "市级制造业单项冠军企业名单", "Municipal manufacturing single champions",
     {CODE: "credit_code", NAME: "name", "认定日期": "municipal_single_champion_recognised_on",
      "认定类型": "municipal_single_champion_recognition_type", "所属领域": "future_industry_field"}),
    ("little_giant", "专精特新“小巨人”企业名单", "Specialised \"little giant\" enterprises",
     {CODE: "credit_code", NAME: "name", "认定日期": "little_giant_recognised_on",
      "认定类型": "little_giant_recognition_type"}),
]


def create(apps, schema_editor):
    ListKind = apps.get_model("matching", "ListKind")
    for code, zh, en, mapping in KINDS:
        ListKind.objects.get_or_create(code=code, defaults={"name_zh": zh, "name_en": en, "mapping": mapping})


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
